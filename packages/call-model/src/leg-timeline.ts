// A leg's timeline: a pure fold over its own events (in sequence order) that yields its live status and its timings.
//
// Timing rules (RingCentral's metric rules, in integer ms of eventTime):
// - ring = first Proceeding -> the first Answered, Voicemail, FaxReceive, Parked or end (Disconnected/Gone);
// - talk = sum of Answered -> Hold, Voicemail, Parked or end (a second Answered while talking changes nothing);
// - hold = sum of Hold -> Answered (unhold is reported as Answered) or end; each Hold while talking counts once;
// - a received fax (FaxReceive) ends the ring and is neither talk nor hold: its time is the fax's own;
// - events after the leg's end never change it (a late or stray event cannot revive an ended leg).
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
  };
  let ringOpen = false;
  let ringDone = false;
  let awaitingFarAnswer = false;
  let farAnswered = false;

  const enter = (status: LegStatus, ms: number) => {
    t.status = status;
    t.statusSinceMs = ms;
  };
  /**
   * Closes whatever interval is open at ms (ring, talk, hold or park). Intervals follow the sequence order; when event
   * times run backwards against it (clocks of different servers), an interval counts 0, never less.
   */
  const close = (ms: number) => {
    if (ringOpen && t.ringStartMs !== null) t.ringMs = span(t.ringStartMs, ms);
    if (ringOpen) ringDone = true;
    ringOpen = false;
    if (t.status === 'Talking') t.talkMs += span(t.statusSinceMs, ms);
    if (t.status === 'OnHold') t.holdMs += span(t.statusSinceMs, ms);
    if (t.status === 'Parked') t.parkMs += span(t.statusSinceMs, ms);
  };
  const startRing = (ms: number) => {
    if (ringDone || ringOpen || t.answerMs !== null) return;
    t.ringStartMs = ms;
    ringOpen = true;
    if (t.status === 'Setup') enter('Ringing', ms);
  };
  const connect = (ms: number) => {
    if (t.status === 'Talking') return;
    close(ms);
    t.answerMs ??= ms;
    awaitingFarAnswer = false;
    enter('Talking', ms);
  };

  for (const step of steps(events, farEnd)) {
    if (t.status === 'Ended') {
      if (step.kind === 'own') t.lateEventCount += 1;
      continue;
    }
    if (step.kind === 'far-proceeding') {
      startRing(step.at.ms);
      continue;
    }
    if (step.kind === 'far-answered') {
      farAnswered = true;
      if (awaitingFarAnswer) connect(step.at.ms);
      continue;
    }
    const { event } = step;
    const ms = event.eventTimeMs;
    t.statusCode = event.statusCode;
    t.lastEventMs = ms;
    switch (event.statusCode) {
      case 'Proceeding':
        startRing(ms);
        break;
      case 'Answered':
        if (farEnd.gateOnFarAnswer && !farAnswered && t.answerMs === null) {
          awaitingFarAnswer = true;
          if (t.status === 'Setup') enter('Ringing', ms);
        } else connect(ms);
        break;
      case 'Hold':
        if (t.status === 'Talking') {
          close(ms);
          t.holdCount += 1;
          enter('OnHold', ms);
        }
        break;
      case 'Voicemail':
      case 'VoiceMailScreening':
        close(ms);
        t.reachedVoicemail = true;
        enter('Voicemail', ms);
        break;
      case 'FaxReceive':
        if (t.status !== 'Fax') {
          close(ms);
          t.receivedFax = true;
          enter('Fax', ms);
        }
        break;
      case 'Parked':
        if (t.status !== 'Parked') {
          close(ms);
          enter('Parked', ms);
        }
        break;
      case 'Disconnected':
      case 'Gone':
        t.endedDuringHold = t.status === 'OnHold';
        t.parkedAtEnd = t.status === 'Parked';
        close(ms);
        t.endMs = ms;
        t.end = event;
        enter('Ended', ms);
        break;
      default:
        // Setup and codes without timing meaning (Tds, codes added later) only update statusCode.
        break;
    }
  }
  return t;
}
