// The session summary: the call as a whole, what queue statistics are computed from.
import type { Direction } from '@callpulse/contracts';
import type { Leg } from './leg.js';
import { span } from './leg-timeline.js';
import type { PartyFacts } from './parties.js';
import type { PartyEvent } from './party-event.js';

export interface SessionSummary {
  telephonySessionId: string;
  sessionId: string;
  accountId: string | null;
  originType: string | null;
  /** Outbound when the caller's party belongs to a monitored extension; Inbound otherwise. */
  direction: Direction;
  fromNumber: string | null;
  toNumber: string | null;
  startMs: number;
  /** The last party's end, once every party has left. */
  endMs: number | null;
  durationMs: number;
  queueId: string | null;
  queueName: string | null;
  /** The first event that puts the call in the queue: a member's queueCall event or the caller addressing the queue. */
  queueEnterMs: number | null;
  firstAnswerMs: number | null;
  /** firstAnswerMs - (queueEnterMs ?? startMs); 0 when never answered. */
  waitMs: number;
  answeredByExtensionId: string | null;
  /**
   * An inbound call that reached a monitored extension or a queue, and whose caller left before anyone answered
   * (voicemail and received faxes excluded).
   */
  abandoned: boolean;
  ended: boolean;
  legCount: number;
  eventCount: number;
  lastSequence: number;
}

/** The caller: the first party, by first event, whose direction is Outbound (RingCentral marks the caller's party so). */
export function callerParty(parties: readonly PartyFacts[]): PartyFacts | null {
  return parties.find((party) => party.direction === 'Outbound') ?? null;
}

function firstAnswer(legs: readonly Leg[]): Leg | null {
  const answered = (direction: Direction) =>
    legs
      .filter((leg) => leg.direction === direction && leg.timings.answerMs !== null)
      .sort((a, b) => (a.timings.answerMs ?? 0) - (b.timings.answerMs ?? 0))[0] ?? null;
  return answered('Inbound') ?? answered('Outbound');
}

function queueEntry(ordered: readonly PartyEvent[]): { id: string; name: string | null; enterMs: number } | null {
  const id = ordered.find((event) => event.queueId !== null)?.queueId ?? null;
  if (id === null) return null;
  const entered = ordered.find((event) => event.queueId === id || event.to.extensionId === id);
  const name = ordered.find((event) => event.queueName !== null)?.queueName ?? null;
  return { id, name, enterMs: entered?.eventTimeMs ?? 0 };
}

export function summarise(
  ordered: readonly PartyEvent[],
  parties: readonly PartyFacts[],
  legs: readonly Leg[],
  isMonitored: (id: string) => boolean,
): SessionSummary {
  const first = ordered[0];
  if (!first) throw new Error('summarise needs at least one event');
  const last = ordered[ordered.length - 1] ?? first;
  const caller = callerParty(parties);
  const callerEvent = caller?.events[caller.events.length - 1] ?? first;
  const ended = parties.every((party) => party.end !== null);
  const endMs = ended ? Math.max(...parties.map((party) => party.end?.ms ?? 0)) : null;
  const queue = queueEntry(ordered);
  const answer = firstAnswer(legs);
  const firstAnswerMs = answer?.timings.answerMs ?? null;
  const direction: Direction = caller?.extensionId && isMonitored(caller.extensionId) ? 'Outbound' : 'Inbound';
  const voicemail = parties.some((party) => party.reachedVoicemail);
  const fax = legs.some((leg) => leg.result === 'Fax' || leg.status === 'Fax');
  const agentAnswered = legs.some((leg) => leg.direction === 'Inbound' && leg.timings.answerMs !== null);
  const reachedAgents = legs.length > 0 || queue !== null;
  return {
    telephonySessionId: first.telephonySessionId,
    sessionId: ordered.find((event) => event.sessionId !== '')?.sessionId ?? '',
    accountId: ordered.find((event) => event.accountId !== null)?.accountId ?? null,
    originType: first.originType,
    direction,
    fromNumber: callerEvent.from.phoneNumber,
    toNumber: callerEvent.to.phoneNumber,
    startMs: first.eventTimeMs,
    endMs,
    durationMs: span(first.eventTimeMs, endMs ?? last.eventTimeMs),
    queueId: queue?.id ?? null,
    queueName: queue?.name ?? null,
    queueEnterMs: queue?.enterMs ?? null,
    firstAnswerMs,
    waitMs: firstAnswerMs === null ? 0 : span(queue?.enterMs ?? first.eventTimeMs, firstAnswerMs),
    answeredByExtensionId: answer?.extensionId ?? null,
    abandoned: direction === 'Inbound' && caller?.end != null && reachedAgents && !agentAnswered && !voicemail && !fax,
    ended,
    legCount: legs.length,
    eventCount: ordered.length,
    lastSequence: last.sequence,
  };
}
