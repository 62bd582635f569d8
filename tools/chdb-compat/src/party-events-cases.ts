// The call drawer's data in the compatibility check: sessions' party events (the scenario library's calls, one cut off
// and ended by the reaper's synthetic ends) written by reporting's own writer on both engines (a first emission with
// part of the events, then all of them twice: the look-up of stored keys, the inserts of the new ones, the replays
// skipped), the table's rows, and the API's callTimeline for every session in several zones. Used by compat.test.ts,
// which runs the statements through its dual runner and sameApiAnswer.
import {
  foldStoredSession,
  normaliseNotification,
  type PartyEvent,
  type PartyEventsRecord,
  partyEventsRecords,
  timeoutEvents,
} from '@callpulse/call-model';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { queryCallTimeline } from '../../../services/api/src/history/call-timeline.js';
import { fetchStoredEventKeys } from '../../../services/reporting/src/events/writer.js';
import type { SameApiAnswer } from './kpi-history-cases.js';

export interface PartyEventsCall {
  telephonySessionId: string;
  /** Part of the events: what a first emission (the first ended leg) carries. */
  early: PartyEventsRecord[];
  /** All of them. */
  all: PartyEventsRecord[];
}

/** Every scenario of the library (two seeds), each session with its records; one call cut off and reaped. */
export function partyEventsCalls(): PartyEventsCall[] {
  const calls: PartyEventsCall[] = [];
  for (const name of scenarioNames) {
    for (const seed of [21, 22]) {
      const scenario = buildScenario(name, { seed, startMs: Date.UTC(2026, 2, 29, 0, 59, 0) }); // across Berlin's change
      const isMonitored = (id: string) => scenario.monitoredExtensionIds.includes(id);
      const bySession = new Map<string, PartyEvent[]>();
      for (const { notification } of scenario.notifications) {
        for (const event of normaliseNotification(notification)) {
          bySession.set(event.telephonySessionId, [...(bySession.get(event.telephonySessionId) ?? []), event]);
        }
      }
      for (const [telephonySessionId, events] of bySession) {
        const cutOff = name === 'inbound-answered-two-holds' && seed === 22;
        const kept = cutOff ? events.slice(0, -2) : events;
        const stored = cutOff ? [...kept, ...timeoutEvents(kept)] : kept;
        const early = stored.slice(0, Math.ceil(stored.length / 2));
        calls.push({
          telephonySessionId,
          early: partyEventsRecords(foldStoredSession(early, isMonitored), early),
          all: partyEventsRecords(foldStoredSession(stored, isMonitored), stored),
        });
      }
    }
  }
  return calls.filter((call) => call.all.length > 0);
}

/** The writer's look-up of stored event keys, as sorted keys (a set: no order to compare). */
export async function storedKeys(
  client: Parameters<typeof fetchStoredEventKeys>[0],
  database: string,
  calls: readonly PartyEventsCall[],
): Promise<string[]> {
  return [
    ...(await fetchStoredEventKeys(
      client,
      database,
      calls.map((call) => call.telephonySessionId),
    )),
  ].sort();
}

/** callTimeline of every session in each zone, on both engines; returns the legs explained. */
export async function compareTimelines(
  sameApiAnswer: SameApiAnswer,
  database: string,
  calls: readonly PartyEventsCall[],
  zones: readonly string[],
): Promise<number> {
  let legs = 0;
  for (const [index, call] of calls.entries()) {
    const zone = zones[index % zones.length] ?? 'UTC';
    const timeline = await sameApiAnswer('callTimeline', (runner) => queryCallTimeline(runner, database, call.telephonySessionId, zone));
    legs += timeline?.legs.length ?? 0;
  }
  return legs;
}
