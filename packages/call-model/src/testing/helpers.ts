// Test helpers on plain data: notifications -> events -> folded sessions, and projections onto the ground truth.
import type { TelephonyNotification } from '@callpulse/contracts';
import { expectedLegOf, expectedSummaryOf } from '@callpulse/testkit/records';
import type { ExpectedLeg, ExpectedSummary } from '@callpulse/testkit/scenarios';
import {
  foldSession,
  type Leg,
  normaliseNotification,
  type PartyEvent,
  type SessionState,
  toCompletedLegRecord,
  toSessionSummaryRecord,
} from '../index.js';

export function eventsOf(notifications: readonly TelephonyNotification[]): PartyEvent[] {
  return notifications.flatMap((notification) => normaliseNotification(notification));
}

/** Folds every session found in the events, keyed by telephonySessionId. */
export function foldAll(events: readonly PartyEvent[], monitored: readonly string[]): Map<string, SessionState> {
  const bySession = new Map<string, PartyEvent[]>();
  for (const event of events) bySession.set(event.telephonySessionId, [...(bySession.get(event.telephonySessionId) ?? []), event]);
  const isMonitored = (id: string) => monitored.includes(id);
  return new Map([...bySession].map(([id, sessionEvents]) => [id, foldSession(sessionEvents, isMonitored)]));
}

const NOT_ENDED = '(not ended)' as ExpectedLeg['result'] & ExpectedLeg['endedBy'];

/** The leg's completed record cut to the ground truth's fields; a leg still going on says so in its result and endedBy. */
export function asExpectedLeg(leg: Leg, session: SessionState): ExpectedLeg {
  const record = toCompletedLegRecord(leg.ended ? leg : { ...leg, ended: true, result: NOT_ENDED }, session, 0);
  return { ...expectedLegOf(record), endedBy: leg.endedBy ?? NOT_ENDED };
}

/** The session's summary record cut to the ground truth's fields. */
export function asExpectedSummary(session: SessionState): ExpectedSummary {
  return expectedSummaryOf(toSessionSummaryRecord(session, 0));
}

const byParty = (a: { partyId: string }, b: { partyId: string }) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0);
const bySession = (a: { telephonySessionId: string }, b: { telephonySessionId: string }) =>
  a.telephonySessionId < b.telephonySessionId ? -1 : a.telephonySessionId > b.telephonySessionId ? 1 : 0;

/** Every leg and summary of the folded sessions, projected and sorted for comparison with a scenario's ground truth. */
export function outcome(sessions: Map<string, SessionState>): { legs: ExpectedLeg[]; summaries: ExpectedSummary[] } {
  const all = [...sessions.values()];
  return {
    legs: all.flatMap((session) => session.legs.map((leg) => asExpectedLeg(leg, session))).sort(byParty),
    // A session that is no call gives no summary (emit/completed-records.ts owes none for it).
    summaries: all
      .filter((session) => !session.notACall)
      .map(asExpectedSummary)
      .sort(bySession),
  };
}

export function expectedOutcome(legs: readonly ExpectedLeg[], summaries: readonly ExpectedSummary[]) {
  return { legs: [...legs].sort(byParty), summaries: [...summaries].sort(bySession) };
}

/** A leg by extension id (the first one if several). */
export function legOf(session: SessionState | undefined, extensionId: string): Leg {
  const leg = session?.legs.find((candidate) => candidate.extensionId === extensionId);
  if (!leg) throw new Error(`no leg of extension ${extensionId}`);
  return leg;
}
