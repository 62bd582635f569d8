// Every figure of a leg explained from its events: the session's events as the fold took them, and per leg the phases
// the fold added its timings up from (ring, talk segments, holds, park), the rule that gave the result and the one that
// said who ended it, with the facts each looked at. Built from the fold call-state runs (foldStoredSession), never from
// a copy of its rules: the figures here are the sums of the fold's own phases, and a test checks they equal the
// records it emits. Pure.
import type { Direction, EndedBy, LegResult } from '@callpulse/contracts';
import { foldStoredSession } from './fold.js';
import type { Leg } from './leg.js';
import type { EndedByDecision, ResultDecision } from './leg-result.js';
import { type Phase, type PhaseKind, type PhaseMark, span } from './leg-timeline.js';
import { orderEvents } from './order.js';
import type { PartyEvent } from './party-event.js';
import { isTerminalCode } from './status.js';
import { effectiveEvents, isSyntheticEnd } from './timeout.js';

/** One event of the session as the fold took it (after order, dedupe and the timeout rules). */
export interface ExplainedEvent {
  sequence: number;
  eventTimeMs: number;
  partyId: string;
  extensionId: string | null;
  direction: Direction | null;
  /** Canonical spelling; `rawStatusCode` as RingCentral sent it. */
  statusCode: string;
  rawStatusCode: string;
  reason: string | null;
  /** The reaper's end of a party whose real end never came (reason Timeout). */
  synthetic: boolean;
  /** It came after its party's end: counted, but it changes nothing. */
  afterEnd: boolean;
}

/** A figure that is a sum of phases: the sum, the phases, and the rule that opens and closes them. */
export interface PhaseSum {
  ms: number;
  phases: Phase[];
  says: string;
}

/** The figures of a leg as the fold gives them (the completed record carries the same). */
export interface LegFigures {
  startMs: number;
  ringStartMs: number | null;
  answerMs: number | null;
  endMs: number | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  parkMs: number;
  durationMs: number;
  result: LegResult | null;
  endedBy: EndedBy | null;
  endStatus: string | null;
  endReason: string | null;
  endedDuringHold: boolean;
}

export interface LegExplanation {
  partyId: string;
  extensionId: string;
  direction: Direction | null;
  ended: boolean;
  /** The leg's own events, in the fold's order. */
  events: ExplainedEvent[];
  /** Every phase, in the order they opened (the time axis of the leg). */
  phases: Phase[];
  figures: LegFigures;
  ring: PhaseSum;
  talk: PhaseSum;
  /** holdCount is the number of its phases. */
  hold: PhaseSum;
  park: PhaseSum;
  /** From the leg's first event to its end (while active: to its last event). */
  duration: { ms: number; from: PhaseMark; to: PhaseMark; says: string };
  result: ResultDecision | null;
  endedBy: EndedByDecision | null;
}

export interface SessionExplanation {
  telephonySessionId: string;
  /** Every event of every party (the legs' counterparts decide results and endedBy too). */
  events: ExplainedEvent[];
  legs: LegExplanation[];
}

/** The timing rules of leg-timeline.ts, one line each. */
export const phaseRules: Record<PhaseKind, string> = {
  ring: "first Proceeding -> first Answered, Voicemail, FaxReceive, Parked or end (a placed call without a Proceeding of its own rings from the far end's first Proceeding)",
  talk: 'each Answered -> Hold, Voicemail, Parked or end (a placed call connects only when the far end answers)',
  hold: 'each Hold while talking -> Answered (unhold) or end',
  park: 'each Parked -> Answered (picked up) or end',
  voicemail: 'Voicemail or VoiceMailScreening -> Answered or end; counted in no figure',
  fax: 'FaxReceive -> end; counted in no figure',
};

const DURATION_RULE = 'first event -> end (while the leg is active: its last event)';

function explainEvents(ordered: readonly PartyEvent[]): ExplainedEvent[] {
  const ended = new Set<string>();
  return ordered.map((event) => {
    const afterEnd = ended.has(event.partyId);
    if (isTerminalCode(event.statusCode)) ended.add(event.partyId);
    return {
      sequence: event.sequence,
      eventTimeMs: event.eventTimeMs,
      partyId: event.partyId,
      extensionId: event.extensionId,
      direction: event.direction,
      statusCode: event.statusCode,
      rawStatusCode: event.rawStatusCode,
      reason: event.reason,
      synthetic: isSyntheticEnd(event),
      afterEnd,
    };
  });
}

const sumOf = (phases: readonly Phase[], kind: PhaseKind): PhaseSum => {
  const ofKind = phases.filter((phase) => phase.kind === kind);
  return { ms: ofKind.reduce((total, phase) => total + phase.ms, 0), phases: ofKind, says: phaseRules[kind] };
};

const markOf = (event: ExplainedEvent): PhaseMark => ({
  sequence: event.sequence,
  ms: event.eventTimeMs,
  partyId: event.partyId,
  code: event.statusCode,
  own: true,
});

function explainLeg(leg: Leg, events: readonly ExplainedEvent[]): LegExplanation {
  const own = events.filter((event) => event.partyId === leg.partyId);
  const counted = own.filter((event) => !event.afterEnd);
  const first = counted[0];
  const last = counted[counted.length - 1];
  if (!first || !last) throw new Error(`leg ${leg.partyId} has no events`);
  const t = leg.timings;
  return {
    partyId: leg.partyId,
    extensionId: leg.extensionId,
    direction: leg.direction,
    ended: leg.ended,
    events: own,
    phases: leg.phases,
    figures: {
      startMs: t.startMs,
      ringStartMs: t.ringStartMs,
      answerMs: t.answerMs,
      endMs: t.endMs,
      ringMs: t.ringMs,
      talkMs: t.talkMs,
      holdMs: t.holdMs,
      holdCount: t.holdCount,
      parkMs: t.parkMs,
      durationMs: t.durationMs,
      result: leg.result,
      endedBy: leg.endedBy,
      endStatus: leg.endStatus,
      endReason: leg.endReason,
      endedDuringHold: leg.endedDuringHold,
    },
    ring: sumOf(leg.phases, 'ring'),
    talk: sumOf(leg.phases, 'talk'),
    hold: sumOf(leg.phases, 'hold'),
    park: sumOf(leg.phases, 'park'),
    duration: { ms: span(first.eventTimeMs, last.eventTimeMs), from: markOf(first), to: markOf(last), says: DURATION_RULE },
    result: leg.decisions.result,
    endedBy: leg.decisions.endedBy,
  };
}

/**
 * The explanation of a session's legs from its normalised party events (any order, duplicates and synthetic ends
 * included, as stored), with `isMonitored` telling which extensions' parties are legs. Throws for no events.
 */
export function explainSession(events: Iterable<PartyEvent>, isMonitored: (extensionId: string) => boolean): SessionExplanation {
  const all = [...events];
  const session = foldStoredSession(all, isMonitored);
  const explained = explainEvents(orderEvents(effectiveEvents(all)));
  return {
    telephonySessionId: session.telephonySessionId,
    events: explained,
    legs: session.legs.map((leg) => explainLeg(leg, explained)),
  };
}
