// While a session's change is being written, an emitter must not find the session due: it would fold the state
// before the change and emit its ended legs early (then amend them). Real Redis; the store's write is observed
// from inside, where the race would happen.

import { normaliseNotification, type PartyEvent } from '@callpulse/call-model';
import { type ChainableCommander, createLogger, createRedis, createRegistry } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { SessionSchedule } from '../../src/store/session-schedule.js';
import { SessionStore } from '../../src/store/session-store.js';
import { SessionWrites } from '../../src/store/session-writes.js';
import { AGENT_EXTENSION, isolated, ivrCall } from './support.js';

const { name, keys, channels } = isolated('emitrace');
const redis = createRedis(redisUrl);

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

/** A store that notes, at the moment of each write (a read queued just before the save), which sessions an emitter could claim. */
class WatchedStore extends SessionStore {
  readonly dueDuringWrites: string[][] = [];

  override queueSave(pipeline: ChainableCommander, ...args: [string, Parameters<SessionStore['save']>[1]]): void {
    pipeline.zrangebyscore(keys.pendingEmissions, '-inf', Date.now(), (err, due) => {
      if (!err && due) this.dueDuringWrites.push(due);
    });
    super.queueSave(pipeline, ...args);
  }
}

describe('emission while a change is written', () => {
  it('is not due before the write of the change that made it due', async () => {
    const store = new WatchedStore(redis, keys);
    const processor = new SessionProcessor({
      store,
      cache: new SessionCache(100),
      writes: new SessionWrites(redis, store, new SessionSchedule(redis, keys)),
      board: new LiveBoard(redis, keys, channels, store),
      monitored: { isMonitored: (id) => id === AGENT_EXTENSION, version: 0 },
      timings: { graceMs: 60000, retentionMs: 60000, staleAfterMs: 600000 },
      metrics: createCallStateMetrics(createRegistry('test')),
      logger: createLogger('test', 'silent'),
    });
    const call = ivrCall();
    const events: PartyEvent[] = call.notifications.flatMap((n) => normaliseNotification(n));
    const last = events[events.length - 1] as PartyEvent;
    // Everything but the customer's hang-up: the agent's leg has ended, the session has not.
    await processor.apply(call.telephonySessionId, events.slice(0, -1));
    expect(await redis.zscore(keys.pendingEmissions, call.telephonySessionId)).not.toBeNull(); // due after the grace
    // The hang-up ends the session: due at once, but only once it is written.
    await processor.apply(call.telephonySessionId, [last]);
    expect(store.dueDuringWrites).toHaveLength(2);
    expect(store.dueDuringWrites.at(-1)).not.toContain(call.telephonySessionId);
    const dueNow = await redis.zrangebyscore(keys.pendingEmissions, '-inf', Date.now());
    expect(dueNow).toContain(call.telephonySessionId);
  });
});
