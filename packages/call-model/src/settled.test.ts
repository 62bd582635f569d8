// A leg the service emits without waiting ("settled") must already have its final result and endedBy: for every
// scenario, events applied one at a time in sequence order never change a settled leg's result or who ended it.

import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { foldSession, type Leg } from './index.js';
import { eventsOf } from './testing/helpers.js';

const seeds = [1, 2, 3, 42, 2026];

function legsAfterEachEvent(name: string, seed: number) {
  const scenario = buildScenario(name, { seed });
  const isMonitored = (id: string) => scenario.monitoredExtensionIds.includes(id);
  const events = eventsOf(scenario.notifications.map((timed) => timed.notification)).sort((a, b) => a.sequence - b.sequence);
  const bySession = new Map<string, typeof events>();
  for (const event of events) bySession.set(event.telephonySessionId, [...(bySession.get(event.telephonySessionId) ?? []), event]);
  return [...bySession.values()].map((sessionEvents) =>
    sessionEvents.map((_, index) => foldSession(sessionEvents.slice(0, index + 1), isMonitored).legs),
  );
}

const key = (leg: Leg) => `${leg.telephonySessionId}:${leg.partyId}`;

describe('settled legs', () => {
  for (const name of scenarioNames) {
    it(`${name}: a settled leg's result and endedBy never change afterwards`, () => {
      let settledEarly = 0;
      for (const seed of seeds) {
        for (const steps of legsAfterEachEvent(name, seed)) {
          const final = new Map((steps.at(-1) ?? []).map((leg) => [key(leg), leg]));
          for (const legs of steps) {
            for (const leg of legs.filter((l) => l.settled)) {
              const last = final.get(key(leg));
              expect({ result: leg.result, endedBy: leg.endedBy }, `${name} seed ${seed} ${key(leg)}`).toEqual({
                result: last?.result,
                endedBy: last?.endedBy,
              });
              if (!leg.otherSideEnded) settledEarly += 1;
            }
          }
        }
      }
      if (['queue-answered', 'blind-transfer', 'attended-transfer', 'park-and-pickup'].includes(name)) {
        expect(settledEarly, 'legs settled before the other side ended').toBeGreaterThan(0);
      }
    });
  }
});
