// Which sessions the cache keeps when it is full. Live traffic gives each active session an event in turn: with more
// active sessions than the cache holds, evicting the least recently used one would evict every session just before
// its next event (no hit at all); ended sessions, which get no more events, go first.

import { describe, expect, it } from 'vitest';
import { type CachedSession, SessionCache } from '../../src/store/session-cache.js';

function entry(ended = false): CachedSession {
  return {
    events: new Map(),
    state: undefined,
    ordered: undefined,
    monitoredVersion: 0,
    legs: new Map(),
    rev: 1,
    boardRev: 1,
    ended,
    expiresAtMs: Number.MAX_SAFE_INTEGER,
  };
}

/** Hits of a round-robin over `sessions` live sessions, `rounds` times, with a cache of `capacity`. */
function roundRobinHits(capacity: number, sessions: number, rounds: number): number {
  const cache = new SessionCache(capacity);
  let hits = 0;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < sessions; i++) {
      if (cache.get(`s-${i}`, 0)) hits++;
      cache.set(`s-${i}`, entry());
    }
  }
  return hits;
}

describe('the session cache', () => {
  it('keeps every session while they fit', () => {
    expect(roundRobinHits(1000, 1000, 5)).toBe(4000);
  });

  it('still hits most events of a round-robin over more live sessions than it holds', () => {
    // 1,000 places, 1,150 sessions (the interleaved backlog's ratio): least-recently-used eviction hits none.
    const hits = roundRobinHits(1000, 1150, 20);
    expect(hits / (1150 * 19)).toBeGreaterThan(0.6);
  });

  it('evicts ended sessions first, the least recently used of them', () => {
    const cache = new SessionCache(4);
    cache.set('ended-1', entry(true));
    cache.set('live-1', entry());
    cache.set('ended-2', entry(true));
    cache.set('live-2', entry());
    cache.get('ended-1', 0);
    cache.set('live-3', entry());
    expect(cache.get('ended-2', 0)).toBeUndefined();
    cache.set('live-4', entry());
    expect(cache.get('ended-1', 0)).toBeUndefined();
    for (const id of ['live-1', 'live-2', 'live-3', 'live-4']) expect(cache.get(id, 0)).toBeDefined();
    expect(cache.size).toBe(4);
  });

  it('moves a session that ended out of the live ones, and forgets what it is told to', () => {
    const cache = new SessionCache(2);
    cache.set('a', entry());
    cache.set('b', entry());
    cache.set('a', entry(true));
    cache.set('c', entry());
    expect(cache.get('a', 0)).toBeUndefined();
    cache.delete('b');
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('drops an entry once its Redis keys expire, and holds nothing with no places', () => {
    const cache = new SessionCache(2);
    cache.set('a', { ...entry(), expiresAtMs: 10 });
    expect(cache.get('a', 9)).toBeDefined();
    expect(cache.get('a', 10)).toBeUndefined();
    expect(cache.size).toBe(0);
    const none = new SessionCache(0);
    none.set('a', entry());
    expect(none.get('a', 0)).toBeUndefined();
  });
});
