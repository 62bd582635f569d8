// The emitter and the emission gate on real Redis: while a worker is silent, a record that needs the grace (an agent's
// leg before the customer's end is known) is put back in the schedule instead of being emitted; a settled one is not
// held, and nothing is held past the cap after the session's last change or once the gate opens.

import { normaliseNotification, type PartyEvent } from '@callpulse/call-model';
import { createLogger, createRedis, createRegistry } from '@callpulse/platform';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import type { GateEntry } from '../../src/emit/emission-gate.js';
import { Emitter } from '../../src/emit/emitter.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { EmissionLedger } from '../../src/store/emission-ledger.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { SessionSchedule } from '../../src/store/session-schedule.js';
import { SessionStore } from '../../src/store/session-store.js';
import { SessionWrites } from '../../src/store/session-writes.js';
import { AGENT_EXTENSION, isolated, ivrCall, recordingProducer } from './support.js';

const { name, keys, channels } = isolated('emitgate');
const redis = createRedis(redisUrl);
const store = new SessionStore(redis, keys);
const monitored = { isMonitored: (id: string) => id === AGENT_EXTENSION, version: 0 };
const GRACE_MS = 5000;

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

beforeEach(async () => {
  await redis.del(keys.pendingEmissions, keys.emissionGate);
});

/**
 * A call applied up to `upTo` events (all: the session ended), then made due now, alone in the schedule, its last
 * change dated `changedAgoMs` back (by default the grace and a second: its grace has run out, as when its entry falls
 * due in life).
 */
async function dueCall(upTo?: number, changedAgoMs = GRACE_MS + 1000): Promise<string> {
  const call = ivrCall();
  const events: PartyEvent[] = call.notifications.flatMap((n) => normaliseNotification(n));
  const processor = new SessionProcessor({
    store,
    cache: new SessionCache(100),
    writes: new SessionWrites(redis, store, new SessionSchedule(redis, keys)),
    board: new LiveBoard(redis, keys, channels, store),
    monitored,
    timings: { graceMs: GRACE_MS, retentionMs: 600000, staleAfterMs: 600000 },
    metrics: createCallStateMetrics(createRegistry('test')),
    logger: createLogger('test', 'silent'),
  });
  await processor.apply(call.telephonySessionId, events.slice(0, upTo));
  await redis.hset(keys.sessionMeta(call.telephonySessionId), 'touchedAtMs', Date.now() - changedAgoMs);
  await redis.zadd(keys.pendingEmissions, 0, call.telephonySessionId);
  return call.telephonySessionId;
}

function emitter(maxHoldMs = 60000) {
  const { sent, producer } = recordingProducer();
  const metrics = createCallStateMetrics(createRegistry('test'));
  const instance = new Emitter({
    redis,
    keys,
    channels,
    store,
    ledger: new EmissionLedger(redis, keys),
    cache: new SessionCache(100),
    schedule: new SessionSchedule(redis, keys),
    producer,
    topic: `${name}-completed`,
    monitored,
    metrics,
    logger: createLogger('test', 'silent'),
    leaseMs: 30000,
    graceMs: GRACE_MS,
    retentionMs: 60000,
    gate: { maxHoldMs, retryMs: 1000 },
  });
  return { instance, sent, metrics };
}

const entry = (over: Partial<GateEntry>): string =>
  JSON.stringify({ atMs: Date.now(), fetchedAtMs: Date.now(), joinedAtMs: Date.now() - 60000, behindMs: 0, ...over });
const silentWorker = () => redis.hset(keys.emissionGate, 'live', entry({}), 'dead', entry({ atMs: Date.now() - 10000 }));

describe('the emitter and the grace', () => {
  it("puts back a session whose last change still needs its grace, though an earlier change's entry fell due", async () => {
    const session = await dueCall(-1, 1000); // the agent's leg ended a second ago: endedBy needs the grace
    const { instance, sent, metrics } = emitter();
    const before = Date.now();
    await instance.emitDue();
    expect(sent).toEqual([]);
    const due = Number(await redis.zscore(keys.pendingEmissions, session));
    expect(due).toBeGreaterThanOrEqual(before - 1000 + GRACE_MS - 100);
    expect(due).toBeLessThanOrEqual(before - 1000 + GRACE_MS + 5000);
    expect((await metrics.emissionsNotYetDue.get()).values[0]?.value).toBe(1);
    expect((await metrics.emissionsHeld.get()).values[0]?.value ?? 0).toBe(0);
    await redis.zrem(keys.pendingEmissions, session);
  });

  it('keeps a claimed session put back past its lease scheduled after the release, and an earlier reschedule', async () => {
    const schedule = new SessionSchedule(redis, keys);
    await redis.zadd(keys.pendingEmissions, 0, 's-later', 0, 's-changed');
    const lease = Date.now() + 30000;
    expect((await schedule.claimDue(Date.now(), lease, 10)).sort()).toEqual(['s-changed', 's-later']);
    await schedule.scheduleEmissions([[lease - 20000, 's-changed']]); // a new change of it since the claim
    await schedule.putBack(
      [
        [lease + 60000, 's-later'],
        [lease + 60000, 's-changed'],
      ],
      lease,
    );
    await schedule.release(['s-later', 's-changed'], lease);
    expect(Number(await redis.zscore(keys.pendingEmissions, 's-later'))).toBe(lease + 60000);
    expect(Number(await redis.zscore(keys.pendingEmissions, 's-changed'))).toBe(lease - 20000);
    await redis.zrem(keys.pendingEmissions, 's-later', 's-changed');
  });

  it('emits a settled session at once, however recent its last change', async () => {
    await dueCall(undefined, 0);
    const { instance, sent } = emitter();
    await instance.emitDue();
    expect(sent).toContain('leg');
  });
});

describe('the emitter behind a closed emission gate', () => {
  it('puts a record that needs the grace back in the schedule, a second later', async () => {
    const session = await dueCall(-1); // the agent's leg ended, the customer's end not known: endedBy needs the grace
    await silentWorker();
    const { instance, sent, metrics } = emitter();
    const before = Date.now();
    await instance.emitDue();
    expect(sent).toEqual([]);
    const due = Number(await redis.zscore(keys.pendingEmissions, session));
    expect(due).toBeGreaterThanOrEqual(before + 1000);
    expect(due).toBeLessThan(before + 5000);
    expect((await metrics.emissionsHeld.get()).values[0]?.value).toBe(1);
  });

  it('emits it once the gate opens (a live worker joined after the silent one)', async () => {
    await dueCall(-1);
    await redis.hset(keys.emissionGate, 'live', entry({ joinedAtMs: Date.now() }), 'dead', entry({ atMs: Date.now() - 10000 }));
    const { instance, sent } = emitter();
    await instance.emitDue();
    expect(sent).toContain('leg');
    expect(await redis.hexists(keys.emissionGate, 'dead')).toBe(0); // replaced: forgotten
  });

  it('never holds a settled record, nor one past the cap after its session last changed', async () => {
    await dueCall(); // the session ended: every leg settled
    await silentWorker();
    const settled = emitter();
    await settled.instance.emitDue();
    expect(settled.sent).toContain('leg');

    await dueCall(-1);
    const capped = emitter(0);
    await capped.instance.emitDue();
    expect(capped.sent).toContain('leg');
  });
});
