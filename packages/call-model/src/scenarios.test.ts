// Every scenario of the library, folded in order, in random orders and with duplicates, must give its ground truth.

import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PartyEvent, toCompletedLegRecord, toSessionSummaryRecord } from './index.js';
import { eventsOf, expectedOutcome, foldAll, outcome } from './testing/helpers.js';

const seeds = [1, 2, 3, 42, 2026];

function scenarioEvents(name: string, seed: number) {
  const scenario = buildScenario(name, { seed });
  const events = eventsOf(scenario.notifications.map((timed) => timed.notification));
  return { scenario, events, expected: expectedOutcome(scenario.expectedLegs, scenario.expectedSummaries) };
}

describe('scenario library', () => {
  it('has every scenario the issue lists', () => {
    expect(scenarioNames).toEqual([
      'inbound-answered-two-holds',
      'inbound-missed',
      'inbound-voicemail',
      'outbound-answered',
      'outbound-unanswered',
      'internal-call',
      'ivr-to-agent',
      'queue-answered',
      'queue-abandoned',
      'blind-transfer',
      'attended-transfer',
      'park-and-pickup',
      'concurrent-calls',
      'inbound-fax',
      'redirected-ring',
      'supervised-call',
      'greeting-recording',
    ]);
  });

  it('is deterministic for a seed and varies with it', () => {
    expect(buildScenario('queue-answered', { seed: 7 })).toEqual(buildScenario('queue-answered', { seed: 7 }));
    expect(buildScenario('queue-answered', { seed: 8 }).notifications).not.toEqual(
      buildScenario('queue-answered', { seed: 7 }).notifications,
    );
  });

  it('takes durations and ids from the parameters', () => {
    const scenario = buildScenario('outbound-answered', { seed: 3, ringMs: 4321, talkMs: 60000, holdMs: 7000, agentExtensionIds: ['555'] });
    expect(scenario.expectedLegs[0]).toMatchObject({ extensionId: '555', ringMs: 4321, holdMs: 7000, holdCount: 1 });
    expect(scenario.monitoredExtensionIds).toEqual(['555']);
  });

  it('rejects unknown names and bad parameters with a clear error', () => {
    expect(() => buildScenario('nope')).toThrow(/unknown scenario "nope"; known: inbound-answered-two-holds/);
    expect(() => buildScenario('inbound-missed', { ringMs: -5 })).toThrow(/ringMs must be an integer number of ms/);
    expect(() => buildScenario('queue-answered', { agentExtensionIds: ['1'] })).toThrow(/queue-answered needs 3, got 1/);
  });

  it('orders notifications by send time, each after its event, with sequences per session from 2', () => {
    for (const name of scenarioNames) {
      const { notifications } = buildScenario(name, { seed: 5 });
      const sendTimes = notifications.map((timed) => timed.sendAtMs);
      expect(sendTimes).toEqual([...sendTimes].sort((a, b) => a - b));
      for (const { sendAtMs, notification } of notifications) expect(sendAtMs).toBeGreaterThan(Date.parse(notification.body.eventTime));
      const sequences = new Map<string, number[]>();
      for (const { notification } of notifications) {
        const id = notification.body.telephonySessionId;
        sequences.set(id, [...(sequences.get(id) ?? []), notification.body.sequence]);
      }
      for (const list of sequences.values()) expect([...list].sort((a, b) => a - b)).toEqual(list.map((_, index) => index + 2));
    }
  });
});

describe.each(scenarioNames)('scenario %s', (name) => {
  it.each(seeds)('gives the ground truth in order (seed %i)', (seed) => {
    const { scenario, events, expected } = scenarioEvents(name, seed);
    expect(outcome(foldAll(events, scenario.monitoredExtensionIds))).toEqual(expected);
  });

  it('gives the ground truth in any order and with any duplicates (property)', () => {
    const { scenario, events, expected } = scenarioEvents(name, 11);
    const arbitrary = fc
      .tuple(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: 10 }),
      )
      .map(([shuffled, repeats]) => [...shuffled, ...repeats.map((index) => structuredClone(events[index] as PartyEvent))]);
    fc.assert(
      fc.property(arbitrary, (delivered) => {
        expect(outcome(foldAll(delivered, scenario.monitoredExtensionIds))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('survives the JSON round trip of Redis and converts to records', () => {
    const { scenario, events, expected } = scenarioEvents(name, 3);
    const stored = JSON.parse(JSON.stringify(events)) as PartyEvent[];
    expect(stored).toEqual(events);
    const sessions = foldAll(stored, scenario.monitoredExtensionIds);
    expect(outcome(sessions)).toEqual(expected);
    for (const session of sessions.values()) {
      expect(session.ended).toBe(true);
      expect(toSessionSummaryRecord(session, 1)).toMatchObject({ kind: 'session', version: 1, legCount: session.legs.length });
      for (const leg of session.legs) {
        const want = expected.legs.find((candidate) => candidate.partyId === leg.partyId);
        expect(toCompletedLegRecord(leg, session, 2)).toMatchObject({
          kind: 'leg',
          version: 2,
          result: want?.result,
          talkMs: want?.talkMs,
        });
      }
    }
  });
});
