// Several writers of one session (the old and the new owner of a partition around a rebalance, the reaper), failures
// between a session's writes, and re-sent records, on real Redis: nothing applied is lost, the live board follows the
// latest state, and one version number always carries one content.

import { normaliseNotification, type PartyEvent } from '@callpulse/call-model';
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { createLogger, createRedis, createRegistry } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import { type BoardMark, LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { EmissionLedger } from '../../src/store/emission-ledger.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { SessionSchedule } from '../../src/store/session-schedule.js';
import { SessionStore } from '../../src/store/session-store.js';
import { SessionWrites } from '../../src/store/session-writes.js';
import { AGENT_EXTENSION, isolated, ivrCall } from './support.js';

const { name, keys, channels } = isolated('fencing');
const redis = createRedis(redisUrl);

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

const store = new SessionStore(redis, keys);

function processor(board: LiveBoard = new LiveBoard(redis, keys, channels, store), cache = new SessionCache(100)) {
  return {
    cache,
    processor: new SessionProcessor({
      store,
      cache,
      writes: new SessionWrites(redis, store, new SessionSchedule(redis, keys)),
      board,
      monitored: { isMonitored: (id) => id === AGENT_EXTENSION, version: 0 },
      timings: { graceMs: 60000, retentionMs: 60000, staleAfterMs: 600000 },
      metrics: createCallStateMetrics(createRegistry('test')),
      logger: createLogger('test', 'silent'),
    }),
  };
}

/** A live board whose first `failures` writes fail (Redis went away between the session's write and the board's). */
function flakyBoard(failures: number): LiveBoard {
  return new (class extends LiveBoard {
    override apply(changed: LiveLegSnapshot[], mark?: BoardMark): Promise<number | undefined> {
      if (failures-- > 0) return Promise.reject(new Error('Redis went away'));
      return super.apply(changed, mark);
    }
  })(redis, keys, channels, store);
}

const boardLegs = async (): Promise<LiveLegSnapshot[]> =>
  Object.values(await redis.hgetall(keys.extensionActiveLegs(AGENT_EXTENSION))).map((json) => JSON.parse(json));

function callEvents() {
  const call = ivrCall();
  const events: PartyEvent[] = call.notifications.flatMap((n) => normaliseNotification(n));
  return {
    id: call.telephonySessionId,
    events,
    bySequence: (from: number, to: number) => events.filter((e) => e.sequence >= from && e.sequence <= to),
  };
}

describe('two writers of one session', () => {
  it('never write a change computed from a stale copy: the stale one reads again', async () => {
    const call = callEvents();
    const oldOwner = processor();
    const newOwner = processor();
    await oldOwner.processor.apply(call.id, call.bySequence(0, 5)); // the old owner caches the session at this point
    await newOwner.processor.apply(call.id, call.bySequence(6, 8)); // the partition moved: the new owner goes on
    // The old owner, still finishing a batch, applies a later event with its cached copy (missing 6..8).
    await oldOwner.processor.apply(call.id, call.bySequence(9, 9));
    const stored = await new SessionStore(redis, keys).loadState(call.id);
    expect([...stored.events.values()].map((e) => e.sequence).sort((a, b) => a - b)).toEqual(call.bySequence(0, 9).map((e) => e.sequence));
    // Its cache now mirrors Redis, not the stale copy: every event up to 9 is in its fold.
    const cached = oldOwner.cache.get(call.id);
    expect(cached?.rev).toBe(stored.rev);
    expect(cached?.events.size).toBe(call.bySequence(0, 9).length);
  });
});

describe('a failure between the session write and the live-board write', () => {
  it('leaves no phantom call: the redelivery brings the board up to date', async () => {
    await redis.del(keys.extensionActiveLegs(AGENT_EXTENSION)); // the agent's other calls of the tests above
    const call = callEvents();
    const { processor: healthy } = processor();
    await healthy.apply(call.id, call.bySequence(0, 10)); // the agent is on the call
    expect((await boardLegs()).some((leg) => leg.telephonySessionId === call.id)).toBe(true);

    const flaky = flakyBoard(1);
    const restarted = processor(flaky).processor; // a fresh worker: nothing cached
    const rest = call.events.filter((e) => e.sequence > 10);
    await expect(restarted.apply(call.id, rest)).rejects.toThrow('Redis went away');
    // Kafka redelivers the batch: its events are duplicates now, but the board must still lose the ended leg.
    expect(await restarted.apply(call.id, rest)).toBe('duplicate');
    expect((await boardLegs()).some((leg) => leg.telephonySessionId === call.id)).toBe(false);
    expect(await redis.hget(keys.agentStates, AGENT_EXTENSION)).toBe('idle');
  });

  it('leaves no phantom call when the next event is new but moves no leg (a fresh worker, nothing cached)', async () => {
    await redis.del(keys.extensionActiveLegs(AGENT_EXTENSION));
    const call = callEvents();
    await processor().processor.apply(call.id, call.bySequence(0, 10)); // the agent is on the call
    const rest = call.events.filter((e) => e.sequence > 10);
    await expect(processor(flakyBoard(1)).processor.apply(call.id, rest)).rejects.toThrow('Redis went away');
    // No redelivery of that batch (it was committed before the crash, say); the caller's party sends one more event,
    // which changes no leg of the agent: the board must still be brought to the session's state.
    const last = rest.filter((e) => e.extensionId !== AGENT_EXTENSION).at(-1) as PartyEvent;
    const extra = { ...last, sequence: last.sequence + 1, notificationUuid: `${last.notificationUuid}-again` };
    expect(await processor().processor.apply(call.id, [extra])).toBe('applied');
    expect((await boardLegs()).some((leg) => leg.telephonySessionId === call.id)).toBe(false);
    expect(await redis.hget(keys.agentStates, AGENT_EXTENSION)).toBe('idle');
    const stored = await store.loadState(call.id);
    expect(stored.boardRev).toBe(stored.rev);
  });
});

describe('the emission ledger', () => {
  const ledger = new EmissionLedger(redis, keys);

  it('gives a re-sent record of the same content its version again, and other content a higher one', async () => {
    const session = `s-${name}-ledger`;
    const [first] = await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'A', floor: 0 }]);
    expect(first).toBe(1);
    // The send failed or the process died before the bookkeeping: the same content goes out again as version 1.
    expect(await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'A', floor: 0 }])).toEqual([1]);
    // Before it was recorded the content changed: never version 1 again.
    const [second] = await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'B', floor: 0 }]);
    expect(second).toBe(2);
    await ledger.record(session, new Map([['p1', { version: 2, fingerprint: 'B' }]]));
    // An emitter whose lease ran out records its older version late: ignored.
    await ledger.record(session, new Map([['p1', { version: 1, fingerprint: 'A' }]]));
    const emitted = await new SessionStore(redis, keys).loadEmitState(session);
    expect(emitted.emitted.get('p1')).toEqual({ version: 2, fingerprint: 'B' });
    expect(await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'C', floor: 2 }])).toEqual([3]);
  });

  it('starts above what was emitted before the ledger existed', async () => {
    const session = `s-${name}-legacy`;
    await redis.hset(keys.sessionMeta(session), 'emit:p1', JSON.stringify({ version: 4, fingerprint: 'old' }));
    expect(await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'new', floor: 4 }])).toEqual([5]);
  });
});
