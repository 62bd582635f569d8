// A leg's timeline: a pure fold over its own events (in sequence order) that yields its live status and its timings.
//
// Timing rules (RingCentral's metric rules, in integer ms of eventTime):
// - ring = first Proceeding -> the first Answered, Voicemail, FaxReceive, Parked or end (Disconnected/Gone);
// - talk = sum of Answered -> Hold, Voicemail, Parked or end (a second Answered while talking changes nothing);
// - hold = sum of Hold -> Answered (unhold is reported as Answered) or end; each Hold while talking counts once;
// - a received fax (FaxReceive) ends the ring and is neither talk nor hold: its time is the fax's own;
// - events after the leg's end never change it (a late or stray event cannot revive an ended leg).
// Every interval is kept as a phase with the events that opened and closed it: the figures are their sums, so each
// figure can be explained from its events (explain.ts).
// One refinement for a leg that placed the call (Outbound) when the far end is in the session: its own Answered can
// come from an IVR, a queue greeting or call setup before anyone picked up, so it is connected only once a far-end
// party answered (talk starts then), and if it has no Proceeding of its own its ring starts at the far end's first
// Proceeding. Without far-end parties its own events are taken as they are.

import type { Moment } from './parties.js';
import type { PartyEvent } from './party-event.js';

export const legStatuses = ['Setup', 'Ringing', 'Talking', 'OnHold', 'Voicemail', 'Fax', 'Parked', 'Ended'] as const;
export type LegStatus = (typeof legStatuses)[number];

export interface FarEnd {
  /** The leg placed the call and far-end parties are in the session (see the refinement above). */
  gateOnFarAnswer: boolean;
  firstProceeding: Moment | null;
  firstAnswered: Moment | null;
}

/** What opened or closed a phase: one of the leg's own events, or (placed calls) the far end's first Proceeding or Answered. */
export interface PhaseMark extends Moment {
  /** The leg's own event; false for a far-end party's (the refinement above). */
  own: boolean;
}

export const phaseKinds = ['ring', 'talk', 'hold', 'park', 'voicemail', 'fax'] as const;
export type PhaseKind = (typeof phaseKinds)[number];

/**
 * One interval of a leg, as the fold counted it: ring (counted in ringMs), each talk segment (talkMs), each hold
 * (holdMs, holdCount), each time parked (parkMs); voicemail and a received fax are drawn but counted in no figure.
 */
export interface Phase {
  kind: PhaseKind;
  from: PhaseMark;
  /** What closed it; null while it is still open. */
  to: PhaseMark | null;
  /** span(from.ms, to.ms): 0 when the times run backwards, and while open. */
  ms: number;
}

export interface LegTimeline {
  status: LegStatus;
  /** The leg's latest status code (unknown codes included), as canonicalised. */
  statusCode: string;
  /** When the current status began (for live timers). */
  statusSinceMs: number;
  startMs: number;
  ringStartMs: number | null;
  answerMs: number | null;
  endMs: number | null;
  lastEventMs: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  parkMs: number;
  reachedVoicemail: boolean;
  /** A fax was received on the leg (FaxReceive). */
  receivedFax: boolean;
  parkedAtEnd: boolean;
  endedDuringHold: boolean;
  /** The event that ended the leg. */
  end: PartyEvent | null;
  /** Own events that came after the end (ignored). */
  lateEventCount: number;
  /** Every interval the figures above were added up from, in the order they opened. */
  phases: Phase[];
}

/** The length of an interval from `from` to `to`, 0 when the times run backwards. */
export const span = (from: number, to: number): number => Math.max(0, to - from);

type Step = { kind: 'own'; event: PartyEvent } | { kind: 'far-proceeding'; at: Moment } | { kind: 'far-answered'; at: Moment };

function steps(events: readonly PartyEvent[], farEnd: FarEnd): Step[] {
  const list: Step[] = events.map((event) => ({ kind: 'own', event }));
  if (farEnd.gateOnFarAnswer) {
    const ownProceeding = events.some((event) => event.statusCode === 'Proceeding');
    if (farEnd.firstProceeding && !ownProceeding) list.push({ kind: 'far-proceeding', at: farEnd.firstProceeding });
    if (farEnd.firstAnswered) list.push({ kind: 'far-answered', at: farEnd.firstAnswered });
  }
  const sequenceOf = (step: Step) => (step.kind === 'own' ? step.event.sequence : step.at.sequence);
  // Far-end markers sort before an own event of the same sequence (one notification carrying both parties).
  return list.sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a.kind === 'own' ? 1 : 0) - (b.kind === 'own' ? 1 : 0));
}

const markOf = (step: Step): PhaseMark =>
  step.kind === 'own'
    ? { sequence: step.event.sequence, ms: step.event.eventTimeMs, partyId: step.event.partyId, code: step.event.statusCode, own: true }
    : { ...step.at, own: false };

/** The phase a status is spent in (Setup, Ringing and Ended are none: the ring is a phase of its own). */
const phaseOfStatus: Partial<Record<LegStatus, PhaseKind>> = {
  Talking: 'talk',
  OnHold: 'hold',
  Parked: 'park',
  Voicemail: 'voicemail',
  Fax: 'fax',
};

/** Folds one leg's events (ordered, deduplicated, all of one party; at least one). */
export function foldLegTimeline(events: readonly PartyEvent[], farEnd: FarEnd): LegTimeline {
  const first = events[0];
  if (!first) throw new Error('foldLegTimeline needs at least one event of the leg');
  const t: LegTimeline = {
    status: 'Setup',
    statusCode: first.statusCode,
    statusSinceMs: first.eventTimeMs,
    startMs: first.eventTimeMs,
    ringStartMs: null,
    answerMs: null,
    endMs: null,
    lastEventMs: first.eventTimeMs,
    ringMs: 0,
    talkMs: 0,
    holdMs: 0,
    holdCount: 0,
    parkMs: 0,
    reachedVoicemail: false,
    receivedFax: false,
    parkedAtEnd: false,
    endedDuringHold: false,
    end: null,
    lateEventCount: 0,
    phases: [],
  };
  let ring: Phase | null = null;
  let ringDone = false;
  /** The phase of the current status, while it is one (talk, hold, park, voicemail, fax). */
  let current: Phase | null = null;
  let awaitingFarAnswer = false;
  let farAnswered = false;

  const open = (kind: PhaseKind, mark: PhaseMark): Phase => {
    const phase: Phase = { kind, from: mark, to: null, ms: 0 };
    t.phases.push(phase);
    return phase;
  };
  const enter = (status: LegStatus, mark: PhaseMark) => {
    t.status = status;
    t.statusSinceMs = mark.ms;
    const kind = phaseOfStatus[status];
    current = kind ? open(kind, mark) : null;
  };
  /**
   * Closes whatever interval is open at the mark (ring, talk, hold, park, voicemail, fax) and adds it to its figure.
   * Intervals follow the sequence order; when event times run backwards against it (clocks of different servers), an
   * interval counts 0, never less.
   */
  const close = (mark: PhaseMark) => {
    if (ring) {
      ring.to = mark;
      ring.ms = span(ring.from.ms, mark.ms);
      t.ringMs = ring.ms;
      ring = null;
      ringDone = true;
    }
    const phase: Phase | null = current;
    if (!phase) return;
    phase.to = mark;
    phase.ms = span(phase.from.ms, mark.ms);
    if (phase.kind === 'talk') t.talkMs += phase.ms;
    if (phase.kind === 'hold') t.holdMs += phase.ms;
    if (phase.kind === 'park') t.parkMs += phase.ms;
    current = null;
  };
  const startRing = (mark: PhaseMark) => {
    if (ringDone || ring || t.answerMs !== null) return;
    t.ringStartMs = mark.ms;
    ring = open('ring', mark);
    if (t.status === 'Setup') enter('Ringing', mark);
  };
  const connect = (mark: PhaseMark) => {
    if (t.status === 'Talking') return;
    close(mark);
    t.answerMs ??= mark.ms;
    awaitingFarAnswer = false;
    enter('Talking', mark);
  };

  for (const step of steps(events, farEnd)) {
    if (t.status === 'Ended') {
      if (step.kind === 'own') t.lateEventCount += 1;
      continue;
    }
    const mark = markOf(step);
    if (step.kind === 'far-proceeding') {
      startRing(mark);
      continue;
    }
    if (step.kind === 'far-answered') {
      farAnswered = true;
      if (awaitingFarAnswer) connect(mark);
      continue;
    }
    const { event } = step;
    t.statusCode = event.statusCode;
    t.lastEventMs = mark.ms;
    switch (event.statusCode) {
      case 'Proceeding':
        startRing(mark);
        break;
      case 'Answered':
        if (farEnd.gateOnFarAnswer && !farAnswered && t.answerMs === null) {
          awaitingFarAnswer = true;
          if (t.status === 'Setup') enter('Ringing', mark);
        } else connect(mark);
        break;
      case 'Hold':
        if (t.status === 'Talking') {
          close(mark);
          t.holdCount += 1;
          enter('OnHold', mark);
        }
        break;
      case 'Voicemail':
      case 'VoiceMailScreening':
        close(mark);
        t.reachedVoicemail = true;
        enter('Voicemail', mark);
        break;
      case 'FaxReceive':
        if (t.status !== 'Fax') {
          close(mark);
          t.receivedFax = true;
          enter('Fax', mark);
        }
        break;
      case 'Parked':
        if (t.status !== 'Parked') {
          close(mark);
          enter('Parked', mark);
        }
        break;
      case 'Disconnected':
      case 'Gone':
        t.endedDuringHold = t.status === 'OnHold';
        t.parkedAtEnd = t.status === 'Parked';
        close(mark);
        t.endMs = mark.ms;
        t.end = event;
        enter('Ended', mark);
        break;
      default:
        // Setup and codes without timing meaning (Tds, codes added later) only update statusCode.
        break;
    }
  }
  return t;
}
