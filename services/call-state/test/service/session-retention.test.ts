// How long an ended session's keys live, against the real Redis: as long as an open session's until its records are
// out (so every worker away right after a call ended does not expire it unemitted), then the retention window.
import { normaliseNotification } from '@callpulse/call-model';
import { createRedis } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { applyAndEmit } from './apply-and-emit.js';
import { AGENT_EXTENSION, isolated, ivrCall, recordingProducer } from './support.js';

const { name, keys, channels } = isolated('retention');
const redis = createRedis(redisUrl);
const RETENTION_MS = 1000;
const STALE_AFTER_MS = 60000;
const monitored = { isMonitored: (id: string) => id === AGENT_EXTENSION, version: 0 };

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

function pipeline() {
  const { sent, producer } = recordingProducer();
  const built = applyAndEmit({
    redis,
    keys,
    channels,
    topic: `${name}-completed`,
    producer,
    monitored,
    retentionMs: RETENTION_MS,
    staleAfterMs: STALE_AFTER_MS,
  });
  return { ...built, sent };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an ended session in Redis', () => {
  it('outlives the retention window until its records are out, then lives for the window', async () => {
    const { processor, emitter, sent } = pipeline();
    const call = ivrCall();
    await processor.apply(
      call.telephonySessionId,
      call.notifications.flatMap((n) => normaliseNotification(n)),
    );
    const eventsKey = keys.sessionEvents(call.telephonySessionId);
    const metaKey = keys.sessionMeta(call.telephonySessionId);
    expect(await redis.pttl(eventsKey)).toBeGreaterThan(STALE_AFTER_MS);
    // Every worker away for longer than the retention window, right after the call ended.
    await sleep(RETENTION_MS + 500);
    expect(await redis.exists(eventsKey, metaKey)).toBe(2);

    await emitter.emitDue();
    expect(sent.filter((kind) => kind === 'leg').length).toBeGreaterThan(0);
    for (const key of [eventsKey, metaKey]) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(RETENTION_MS);
    }
  });

  it('is not cut to the retention window for a revision older than its own', async () => {
    const { store, processor } = pipeline();
    const call = ivrCall();
    await processor.apply(
      call.telephonySessionId,
      call.notifications.flatMap((n) => normaliseNotification(n)),
    );
    const rev = Number(await redis.hget(keys.sessionMeta(call.telephonySessionId), 'rev'));
    const older = redis.pipeline();
    store.queueRetention(older, call.telephonySessionId, rev - 1, RETENTION_MS);
    expect((await older.exec())?.[0]?.[1]).toBe(0);
    expect(await redis.pttl(keys.sessionEvents(call.telephonySessionId))).toBeGreaterThan(STALE_AFTER_MS);
  });
});
