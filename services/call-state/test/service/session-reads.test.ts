// Sessions the worker has not cached (the cache cycles on live traffic with more sessions than it holds): their reads
// share one round trip with the others asked for in the same turn, a session stored by an earlier release (its events
// as JSON objects) is read and extended, either encoding of new events gives the same fold, and the cache's hits and
// misses are counted.

import { foldStoredSession, normaliseNotification, type PartyEvent, partyEventKey } from '@callpulse/call-model';
import { createLogger, createRedis, createRegistry } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { SessionSchedule } from '../../src/store/session-schedule.js';
import { type EventEncoding, SessionStore } from '../../src/store/session-store.js';
import { SessionWrites } from '../../src/store/session-writes.js';
import { AGENT_EXTENSION, isolated, ivrCall } from './support.js';

const { name, keys, channels } = isolated('sessreads');
const redis = createRedis(redisUrl, { enableAutoPipelining: false });
const isMonitored = (id: string) => id === AGENT_EXTENSION;

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

/** A processor with its own empty cache (a worker that has not seen these sessions), storing events as told. */
function processor(encoding: EventEncoding = 'compact') {
  const store = new SessionStore(redis, keys, encoding);
  const metrics = createCallStateMetrics(createRegistry('test'));
  return {
    store,
    metrics,
    processor: new SessionProcessor({
      store,
      cache: new SessionCache(1000),
      writes: new SessionWrites(redis, store, new SessionSchedule(redis, keys)),
      board: new LiveBoard(redis, keys, channels, store),
      monitored: { isMonitored, version: 0 },
      timings: { graceMs: 3000, retentionMs: 60000, staleAfterMs: 600000 },
      metrics,
      logger: createLogger('test', 'silent'),
    }),
  };
}

/** callpulse_call_state_cache_reads_total by result. */
async function cacheReads(metrics: ReturnType<typeof createCallStateMetrics>) {
  const counts: Record<string, number> = { hit: 0, miss: 0 };
  for (const { labels, value } of (await metrics.cacheReads.get()).values) counts[String(labels.result)] = value;
  return counts;
}

function calls(count: number) {
  return Array.from({ length: count }, () => {
    const call = ivrCall();
    return { id: call.telephonySessionId, events: call.notifications.flatMap((n) => normaliseNotification(n)) };
  });
}

/** Counts the writes to the connection's socket (each is one round trip's request, a pipeline's commands together). */
async function countingWrites<T>(work: () => Promise<T>): Promise<{ result: T; writes: number }> {
  await redis.ping();
  const stream = (redis as unknown as { stream: { write: (...args: unknown[]) => boolean } }).stream;
  const write = stream.write;
  let writes = 0;
  stream.write = (...args: unknown[]) => {
    writes += 1;
    return write.apply(stream, args);
  };
  try {
    return { result: await work(), writes };
  } finally {
    stream.write = write;
  }
}

describe('session reads', () => {
  it('of sessions not cached share one round trip, whatever their number', async () => {
    const sessions = calls(20);
    const half = (events: PartyEvent[]) => Math.floor(events.length / 2);
    const first = processor();
    for (const call of sessions) await first.processor.apply(call.id, call.events.slice(0, half(call.events)));

    const cold = processor();
    const { result, writes } = await countingWrites(() =>
      Promise.all(sessions.map((call) => cold.processor.apply(call.id, [call.events[half(call.events)] as PartyEvent]))),
    );
    expect(result.every((outcome) => outcome === 'applied')).toBe(true);
    // The reads (one), the saves with their schedule entries (one), the board's legs, the agent states and marks, and
    // the emission entries due sooner: a handful, not one read per session.
    expect(writes).toBeLessThanOrEqual(6);
  });

  it('count the cache hits and misses', async () => {
    const [call] = calls(1);
    if (!call || call.events.length < 3) throw new Error('no call');
    const warm = processor();
    await warm.processor.apply(call.id, call.events.slice(0, 1)); // a session not seen before: read from Redis
    await warm.processor.apply(call.id, call.events.slice(1, 2)); // cached by the apply before
    const cold = processor();
    await cold.processor.apply(call.id, call.events.slice(2, 3)); // another worker's session: read and folded again
    expect(await cacheReads(warm.metrics)).toEqual({ hit: 1, miss: 1 });
    expect(await cacheReads(cold.metrics)).toEqual({ hit: 0, miss: 1 });
  });

  it('read sessions an earlier release stored as JSON objects, and extend them', async () => {
    const [call] = calls(1);
    if (!call) throw new Error('no call');
    const cut = Math.floor(call.events.length / 2);
    const old = processor('json');
    await old.processor.apply(call.id, call.events.slice(0, cut));
    const stored = await redis.hvals(keys.sessionEvents(call.id));
    expect(stored.every((value) => value.startsWith('{'))).toBe(true);

    const next = processor('compact');
    expect(await next.processor.apply(call.id, call.events.slice(cut))).toBe('applied');
    const values = await redis.hgetall(keys.sessionEvents(call.id));
    expect(Object.values(values).filter((value) => value.startsWith('[')).length).toBe(call.events.length - cut);
    const loaded = await next.store.loadState(call.id);
    const expected = new Map(call.events.map((event) => [partyEventKey(event), event]));
    expect(loaded.events).toStrictEqual(expected);
    expect(foldStoredSession(loaded.events.values(), isMonitored)).toStrictEqual(foldStoredSession(call.events, isMonitored));
  });

  it('hold every event of a save of more events than one HSET takes in the script', async () => {
    const [call] = calls(1);
    const first = call?.events[0];
    if (!call || !first) throw new Error('no call');
    const { store } = processor();
    const many = Array.from({ length: 1200 }, (_, index) => ({ ...first, sequence: 1000 + index }));
    const saved = await store.save(call.id, { newEvents: many, ttlMs: 60000, expectedRev: 0 });
    expect(saved).toEqual({ ok: true, rev: 1 });
    const loaded = await store.loadState(call.id);
    expect(loaded.events.size).toBe(1200);
    expect(loaded.events.get(partyEventKey(many[1199] as PartyEvent))).toStrictEqual(many[1199]);
    expect(await store.save(call.id, { newEvents: [first], ttlMs: 60000, expectedRev: 0 })).toEqual({ ok: false, rev: 1 });
  });
});
