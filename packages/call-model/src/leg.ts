// A leg: one party of a monitored extension in one telephony session, with its timeline, result and call details.
import type { Direction, EndedBy, LegResult, LegTimes } from '@callpulse/contracts';
import { decideEndedBy, decideResult, type EndedByDecision, endSettled, otherSideEnded, type ResultDecision } from './leg-result.js';
import { type FarEnd, foldLegTimeline, type LegStatus, type Phase, span } from './leg-timeline.js';
import { earliest, otherSide, type PartyFacts, sameSide } from './parties.js';
import type { PartyEndpoint, PartyEvent } from './party-event.js';

/** The times the live board shows (contracts' LegTimes), and two more. */
export interface LegTimings extends LegTimes {
  /** Time spent parked before the leg ended or was retrieved. */
  parkMs: number;
  /** endMs - startMs once ended; so far (last event - start) while active. */
  durationMs: number;
}

export interface Leg {
  telephonySessionId: string;
  sessionId: string;
  partyId: string;
  extensionId: string;
  accountId: string | null;
  direction: Direction | null;
  originType: string | null;
  /** The latest non-empty value of each field across the leg's events. */
  from: PartyEndpoint;
  to: PartyEndpoint;
  queueCall: boolean;
  queueId: string | null;
  queueName: string | null;
  status: LegStatus;
  statusCode: string;
  statusSinceMs: number;
  timings: LegTimings;
  ended: boolean;
  /** Set once ended; null before. */
  result: LegResult | null;
  endedBy: EndedBy | null;
  endStatus: string | null;
  endReason: string | null;
  endSequence: number | null;
  endedDuringHold: boolean;
  /** Every party across from this one has left. */
  otherSideEnded: boolean;
  /** Ended, and nothing the other side may still do changes its record: the service emits it without waiting. */
  settled: boolean;
  missedCall: boolean;
  parkId: string | null;
  recorded: boolean;
  peerTelephonySessionId: string | null;
  eventCount: number;
  lateEventCount: number;
  lastSequence: number;
  /** The leg's latest event said its microphone is muted. */
  muted: boolean;
  /** `Host` or `Participant` of a server-side conference (the latest one sent); null otherwise. */
  conferenceRole: string | null;
  /** The intervals the timings were added up from (leg-timeline.ts). */
  phases: Phase[];
  /** The rules that gave `result` and `endedBy`, with the facts they looked at; null before the leg ended. */
  decisions: { result: ResultDecision | null; endedBy: EndedByDecision | null };
}

function latestEndpoint(events: readonly PartyEvent[], side: 'from' | 'to'): PartyEndpoint {
  const result: PartyEndpoint = { phoneNumber: null, name: null, extensionId: null };
  for (const event of events) {
    const value = event[side];
    result.phoneNumber = value.phoneNumber ?? result.phoneNumber;
    result.name = value.name ?? result.name;
    result.extensionId = value.extensionId ?? result.extensionId;
  }
  return result;
}

function latest<T>(events: readonly PartyEvent[], pick: (event: PartyEvent) => T | null): T | null {
  let value: T | null = null;
  for (const event of events) value = pick(event) ?? value;
  return value;
}

/** Builds the leg of a monitored party from the facts of every party of its session. */
export function buildLeg(party: PartyFacts, parties: readonly PartyFacts[]): Leg {
  const events = party.events;
  const first = events[0];
  if (!first || party.extensionId === null) throw new Error(`party ${party.partyId} has no events or no extensionId`);
  const others = otherSide(party, parties);
  const farEnd: FarEnd = {
    gateOnFarAnswer:
      party.direction === 'Outbound' &&
      others.some((other) => other.events.some((event) => event.statusCode !== 'Disconnected' && event.statusCode !== 'Gone')),
    firstProceeding: earliest(others.map((other) => other.firstProceeding)),
    firstAnswered: earliest(others.map((other) => other.firstAnswered)),
  };
  const timeline = foldLegTimeline(events, farEnd);
  const context = { leg: party, timeline, sameSide: sameSide(party, parties), otherSide: others };
  const resultDecision = decideResult(context);
  const result = resultDecision?.result ?? null;
  const endedByDecision = decideEndedBy(context, result);
  const end = timeline.end;
  const last = events[events.length - 1] ?? first;
  return {
    telephonySessionId: first.telephonySessionId,
    sessionId: latest(events, (event) => event.sessionId || null) ?? '',
    partyId: party.partyId,
    extensionId: party.extensionId,
    accountId: latest(events, (event) => event.accountId),
    direction: party.direction,
    originType: latest(events, (event) => event.originType),
    from: latestEndpoint(events, 'from'),
    to: latestEndpoint(events, 'to'),
    queueCall: events.some((event) => event.queueCall),
    queueId: latest(events, (event) => event.queueId),
    queueName: latest(events, (event) => event.queueName),
    status: timeline.status,
    statusCode: timeline.statusCode,
    statusSinceMs: timeline.statusSinceMs,
    timings: {
      startMs: timeline.startMs,
      ringStartMs: timeline.ringStartMs,
      answerMs: timeline.answerMs,
      endMs: timeline.endMs,
      ringMs: timeline.ringMs,
      talkMs: timeline.talkMs,
      holdMs: timeline.holdMs,
      holdCount: timeline.holdCount,
      parkMs: timeline.parkMs,
      durationMs: span(timeline.startMs, timeline.endMs ?? timeline.lastEventMs),
    },
    ended: end !== null,
    result,
    endedBy: endedByDecision?.endedBy ?? null,
    endStatus: end?.statusCode ?? null,
    endReason: end?.reason ?? null,
    endSequence: end?.sequence ?? null,
    endedDuringHold: timeline.endedDuringHold,
    otherSideEnded: otherSideEnded(others),
    settled: endSettled(result, otherSideEnded(others)),
    missedCall: events.some((event) => event.missedCall),
    parkId: latest(events, (event) => event.parkId),
    recorded: events.some((event) => event.recordings.length > 0),
    peerTelephonySessionId: latest(events, (event) => event.peer?.telephonySessionId ?? null),
    eventCount: events.length,
    lateEventCount: timeline.lateEventCount,
    lastSequence: last.sequence,
    muted: last.muted === true,
    conferenceRole: latest(events, (event) => event.conferenceRole ?? null),
    phases: timeline.phases,
    decisions: { result: resultDecision, endedBy: endedByDecision },
  };
}
