// The fold of one telephony session: every normalised event of the session in, every monitored leg and the summary out.
import { buildLeg, type Leg } from './leg.js';
import { orderEvents } from './order.js';
import { collectParties } from './parties.js';
import type { PartyEvent } from './party-event.js';
import { type SessionSummary, summarise } from './summary.js';

export interface SessionState {
  telephonySessionId: string;
  /** One per party of a monitored extension, in order of their first event. */
  legs: Leg[];
  summary: SessionSummary;
  lastSequence: number;
  /** Events after dedupe. */
  eventCount: number;
  /** Every party of the session has left (Disconnected or Gone). */
  ended: boolean;
  /**
   * The session is no call (origin GreetingsRecording or VerificationCall: a user recording a greeting, RingCentral
   * verifying a number): it has no legs and no summary is emitted for it.
   */
  notACall: boolean;
}

/** `body.origin.type` values of sessions that are no calls. */
export const nonCallOrigins: ReadonlySet<string> = new Set(['GreetingsRecording', 'VerificationCall']);

/**
 * Pure and order-free: any permutation of the same events, with any duplicates, gives the same state.
 * Throws when `events` is empty or mixes telephony sessions.
 */
export function foldSession(events: readonly PartyEvent[], isMonitored: (extensionId: string) => boolean): SessionState {
  const ordered = orderEvents(events);
  const first = ordered[0];
  if (!first) throw new Error('foldSession needs at least one event');
  const stranger = ordered.find((event) => event.telephonySessionId !== first.telephonySessionId);
  if (stranger) {
    throw new Error(
      `foldSession got events of two telephony sessions: ${first.telephonySessionId} and ${stranger.telephonySessionId} (fold each session apart)`,
    );
  }
  const parties = collectParties(ordered);
  const notACall = ordered.some((event) => event.originType !== null && nonCallOrigins.has(event.originType));
  const legs = notACall
    ? []
    : parties.filter((party) => party.extensionId !== null && isMonitored(party.extensionId)).map((party) => buildLeg(party, parties));
  const summary = summarise(ordered, parties, legs, isMonitored);
  return {
    telephonySessionId: first.telephonySessionId,
    legs,
    summary,
    lastSequence: summary.lastSequence,
    eventCount: ordered.length,
    ended: summary.ended,
    notACall,
  };
}
