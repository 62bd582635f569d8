// A record emitted at once (emissionDue says now: settled, complete, no start in doubt) must be the leg's final record:
// every scenario of the library with short rings and talks, its events delivered in random orders within 2.5 s of
// their eventTime (under the grace), checked after every delivery.

import { foldStoredSession, normaliseNotification, type PartyEvent, toCompletedLegRecord } from '@callpulse/call-model';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { emissionDue } from '../../src/emit/emission-due.js';

const GRACE = 3000;
const MAX_DELAY = 2500;

/** A small seeded generator (LCG), so a failure names a reproducible seed and order. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sessionsOf(name: string, seed: number) {
  const draw = random(seed);
  const between = (low: number, high: number) => Math.round(low + draw() * (high - low));
  const built = buildScenario(name, {
    seed,
    ringMs: between(100, 600),
    talkMs: between(300, 3000),
    holdMs: between(100, 1000),
    ivrMs: between(100, 800),
    queueWaitMs: between(100, 1000),
    parkMs: between(100, 1000),
    voicemailMs: between(100, 1000),
  });
  const monitored = new Set(built.monitoredExtensionIds);
  const bySession = new Map<string, PartyEvent[]>();
  for (const { notification } of built.notifications) {
    const events = bySession.get(notification.body.telephonySessionId) ?? [];
    events.push(...normaliseNotification(notification));
    bySession.set(notification.body.telephonySessionId, events);
  }
  return { sessions: [...bySession.values()], isMonitored: (extensionId: string) => monitored.has(extensionId) };
}

describe('a record emitted at once', () => {
  it('is the final one, whatever the order of deliveries under the grace', () => {
    const wrong: string[] = [];
    for (const name of scenarioNames) {
      for (let seed = 1; seed <= 20; seed++) {
        const { sessions, isMonitored } = sessionsOf(name, seed);
        for (const events of sessions) {
          const final = foldStoredSession(events, isMonitored);
          const finalRecords = new Map(
            final.legs.filter((leg) => leg.ended).map((leg) => [leg.partyId, JSON.stringify(toCompletedLegRecord(leg, final, 0))]),
          );
          for (let trial = 0; trial < 25; trial++) {
            const delay = random(seed * 1000 + trial);
            const deliveries = events
              .map((event) => ({ event, atMs: event.eventTimeMs + Math.floor(delay() * MAX_DELAY) }))
              .sort((a, b) => a.atMs - b.atMs);
            for (let seen = 1; seen < deliveries.length; seen++) {
              const prefix = deliveries.slice(0, seen).map(({ event }) => event);
              const nowMs = deliveries[seen - 1]?.atMs ?? 0;
              const state = foldStoredSession(prefix, isMonitored);
              if (emissionDue(state, prefix, nowMs, GRACE) !== nowMs) continue;
              for (const leg of state.legs) {
                if (leg.ended && JSON.stringify(toCompletedLegRecord(leg, state, 0)) !== finalRecords.get(leg.partyId)) {
                  const order = prefix.map((event) => `${event.sequence}:${event.statusCode}`).join(' ');
                  wrong.push(`${name} seed ${seed} trial ${trial}: ${leg.partyId} after ${order}`);
                }
              }
            }
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
