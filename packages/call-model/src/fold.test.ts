// The fold extended from an earlier fold order (call-state on live traffic) gives what the fold from scratch gives:
// every scenario of the library, delivered in random chunks, random orders, with duplicates, synthetic timeout ends and
// cache misses; and in-order delivery takes the extending path.

import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldStoredSession, foldStoredSessionFrom } from './fold.js';
import { type PartyEvent, partyEventKey } from './party-event.js';
import { eventsOf } from './testing/helpers.js';
import { timeoutEvents } from './timeout.js';

function scenarioSessions(name: string, seed: number) {
  const scenario = buildScenario(name, { seed });
  const bySession = new Map<string, PartyEvent[]>();
  for (const event of eventsOf(scenario.notifications.map((timed) => timed.notification))) {
    bySession.set(event.telephonySessionId, [...(bySession.get(event.telephonySessionId) ?? []), event]);
  }
  const monitored = scenario.monitoredExtensionIds;
  return { sessions: [...bySession.values()], isMonitored: (id: string) => monitored.includes(id) };
}

/**
 * Delivers chunks as call-state's processor does (events deduplicated by partyEventKey, the cached fold order extended
 * when there is one) and checks each fold against the fold from scratch. Returns how many folds were extended.
 */
function deliver(chunks: PartyEvent[][], isMonitored: (id: string) => boolean, cacheMisses: boolean[] = []): number {
  const stored = new Map<string, PartyEvent>();
  let ordered: readonly PartyEvent[] | undefined;
  let extended = 0;
  chunks.forEach((chunk, index) => {
    const added = new Map<string, PartyEvent>();
    for (const event of chunk) {
      const key = partyEventKey(event);
      if (!stored.has(key) && !added.has(key)) added.set(key, event);
    }
    if (added.size === 0) return;
    for (const [key, event] of added) stored.set(key, event);
    if (cacheMisses[index]) ordered = undefined;
    const incremental = foldStoredSessionFrom(stored.values(), isMonitored, { ordered, added: [...added.values()] });
    if (ordered && incremental.ordered && incremental.ordered.length >= ordered.length && incremental.ordered !== ordered) extended++;
    expect(incremental.state).toEqual(foldStoredSession(stored.values(), isMonitored));
    ordered = incremental.ordered;
  });
  return extended;
}

/** Splits events into consecutive chunks at the given cut points. */
function chunked(events: PartyEvent[], cuts: number[]): PartyEvent[][] {
  const at = [...new Set(cuts.map((cut) => cut % (events.length + 1)))].sort((a, b) => a - b);
  const chunks: PartyEvent[][] = [];
  let from = 0;
  for (const cut of [...at, events.length]) {
    if (cut > from) chunks.push(events.slice(from, cut));
    from = Math.max(from, cut);
  }
  return chunks;
}

describe.each(scenarioNames)('the extended fold of scenario %s', (name) => {
  it('is the fold from scratch when delivered in order, one event at a time, and extends every fold after the first', () => {
    const { sessions, isMonitored } = scenarioSessions(name, 7);
    for (const events of sessions) {
      const inOrder = [...events].sort((a, b) => a.sequence - b.sequence);
      const extended = deliver(
        inOrder.map((event) => [event]),
        isMonitored,
      );
      expect(extended).toBe(new Set(inOrder.map(partyEventKey)).size - 1);
    }
  });

  it('is the fold from scratch in any order, chunking, duplicates, timeout ends and cache misses (property)', () => {
    const { sessions, isMonitored } = scenarioSessions(name, 11);
    const events = sessions[0] as PartyEvent[];
    const arbitrary = fc.record({
      shuffled: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      // Mostly in order (live traffic), sometimes not.
      keepOrder: fc.boolean(),
      repeats: fc.array(fc.tuple(fc.nat(events.length - 1), fc.nat(events.length)), { maxLength: 8 }),
      cuts: fc.array(fc.nat(events.length), { maxLength: events.length }),
      // The reaper's synthetic ends of the events before a cut, delivered there.
      timeoutAt: fc.option(fc.nat(events.length), { nil: undefined }),
      misses: fc.array(fc.boolean(), { maxLength: events.length + 2 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ shuffled, keepOrder, repeats, cuts, timeoutAt, misses }) => {
        const delivered = keepOrder ? [...events].sort((a, b) => a.sequence - b.sequence) : [...shuffled];
        for (const [index, at] of repeats) delivered.splice(at, 0, structuredClone(events[index] as PartyEvent));
        const chunks = chunked(delivered, cuts);
        if (timeoutAt !== undefined) {
          const position = timeoutAt % (chunks.length + 1);
          const before = chunks.slice(0, position).flat();
          if (before.length > 0) chunks.splice(position, 0, timeoutEvents(before));
        }
        deliver(chunks, isMonitored, misses);
      }),
      { numRuns: 40 },
    );
  });
});
