// The demo's hang-up (pure): whatever part of a call was delivered, the hang-up notifications end every leg the
// pipeline has seen, after every sequence the call was planned with, and touch no party it has not seen.
import { foldSession, normaliseNotification } from '@callpulse/call-model';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { hangUpNotifications } from '../src/traffic/hang-up.js';

describe('hangUpNotifications', () => {
  it('ends every leg delivered so far, for every scenario cut after each of its notifications', () => {
    for (const name of scenarioNames) {
      const scenario = buildScenario(name, { seed: 5 });
      const planned = scenario.notifications.map((timed) => timed.notification);
      const maxSequence = (session: string) =>
        Math.max(...planned.filter((n) => n.body.telephonySessionId === session).map((n) => n.body.sequence));
      for (let cut = 1; cut < planned.length; cut++) {
        const delivered = planned.slice(0, cut);
        const hangUps = hangUpNotifications(planned, delivered, Date.UTC(2026, 11, 2, 9));
        const events = [...delivered, ...hangUps].flatMap((n) => normaliseNotification(n));
        const sessions = new Set(events.map((event) => event.telephonySessionId));
        const legs = [...sessions].flatMap(
          (session) =>
            foldSession(
              events.filter((event) => event.telephonySessionId === session),
              () => true,
            ).legs,
        );
        expect(
          legs.filter((leg) => !leg.ended).map((leg) => leg.partyId),
          `${name} cut after ${cut}`,
        ).toEqual([]);
        expect(hangUps.every((n) => n.body.sequence > maxSequence(n.body.telephonySessionId))).toBe(true);
        expect(new Set(hangUps.map((n) => n.uuid)).size).toBe(hangUps.length);
        const seen = new Set(delivered.flatMap((n) => n.body.parties.map((party) => party.id)));
        expect(hangUps.every((n) => n.body.parties.every((party) => seen.has(party.id)))).toBe(true);
      }
    }
  });

  it('sends nothing for a call whose parties have all ended', () => {
    const planned = buildScenario('inbound-answered-two-holds', { seed: 5 }).notifications.map((timed) => timed.notification);
    expect(hangUpNotifications(planned, planned, Date.UTC(2026, 11, 2, 9))).toEqual([]);
  });
});
