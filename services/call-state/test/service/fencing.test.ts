// Several writers of one session (the old and the new owner of a partition around a rebalance, the reaper), failures
// between a session's writes, and re-sent records, on real Redis: nothing applied is lost, the live board follows the
// latest state, and one version number always carries one content.

import { normaliseNotification, type PartyEvent } from '@callpulse/call-model';
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { createLogger, createRedis, createRegistry } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import { fingerprint } from '../../src/emit/completed-records.js';
import { DayCounters } from '../../src/emit/day-counters.js';
import { Emitter, type EmitterDeps } from '../../src/emit/emitter.js';
import { type BoardMark, LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { type Allocated, EmissionLedger } from '../../src/store/emission-ledger.js';
import { countedLeg, type Emitted, SESSION_EMIT_KEY } from '../../src/store/emitted.js';
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
  const versionOf = (allocated: Allocated | undefined) =>
    allocated === undefined || allocated === 'emitted' ? allocated : allocated.version;

  it('gives a re-sent record of the same content its version again, and other content a higher one', async () => {
    const session = `s-${name}-ledger`;
    const [first] = await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'A', floor: 0 }]);
    expect(first).toEqual({ version: 1, previous: undefined });
    // The send failed or the process died before the bookkeeping: the same content goes out again as version 1.
    expect((await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'A', floor: 0 }])).map(versionOf)).toEqual([1]);
    // Before it was recorded the content changed: never version 1 again.
    const [second] = await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'B', floor: 0 }]);
    expect(versionOf(second)).toBe(2);
    expect(await ledger.record(session, new Map([['p1', { version: 2, fingerprint: 'B' }]]))).toEqual(new Map([['p1', undefined]]));
    // An emitter whose lease ran out records its older version late: ignored (and not reported as recorded).
    expect(await ledger.record(session, new Map([['p1', { version: 1, fingerprint: 'A' }]]))).toEqual(new Map());
    const emitted = await new SessionStore(redis, keys).loadEmitState(session);
    expect(emitted.emitted.get('p1')).toEqual({ version: 2, fingerprint: 'B' });
    expect(await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'C', floor: 2 }])).toEqual([
      { version: 3, previous: { version: 2, fingerprint: 'B' } },
    ]);
  });

  it('starts above what was emitted before the ledger existed', async () => {
    const session = `s-${name}-legacy`;
    await redis.hset(keys.sessionMeta(session), 'emit:p1', JSON.stringify({ version: 4, fingerprint: 'old' }));
    expect((await ledger.allocate(session, [{ emitKey: 'p1', fingerprint: 'new', floor: 4 }])).map(versionOf)).toEqual([5]);
  });

  it('finds what another emitter recorded after this one read the session: the same content is not sent again', async () => {
    // Two emitters of one session (a lease ran out behind a Kafka outage): both read "nothing emitted" for p1 and p2;
    // the first sends and records p1 = A, p2 = B; the second allocates only then, with the floor it read (0).
    const session = `s-${name}-meanwhile`;
    const first = await ledger.allocate(session, [
      { emitKey: 'p1', fingerprint: 'A', floor: 0 },
      { emitKey: 'p2', fingerprint: 'B', floor: 0 },
    ]);
    expect(first.map(versionOf)).toEqual([1, 1]);
    await ledger.record(
      session,
      new Map([
        ['p1', { version: 1, fingerprint: 'A' }],
        ['p2', { version: 1, fingerprint: 'B' }],
      ]),
    );
    const second = await ledger.allocate(session, [
      { emitKey: 'p1', fingerprint: 'A', floor: 0 },
      { emitKey: 'p2', fingerprint: 'B2', floor: 0 },
    ]);
    // p1: already emitted with this content; p2: other content, above the recorded version, which it amends.
    expect(second).toEqual(['emitted', { version: 2, previous: { version: 1, fingerprint: 'B' } }]);
    // Recording version 2 reports the entry it replaced; the same version recorded again is not this call's.
    const v2 = new Map([['p2', { version: 2, fingerprint: 'B2' }]]);
    expect(await ledger.record(session, v2)).toEqual(new Map([['p2', { version: 1, fingerprint: 'B' }]]));
    expect(await ledger.record(session, v2)).toEqual(new Map());
  });
});

/** An ended call applied and due for emission, alone in the schedule (the sessions of the tests above are not due). */
async function endedCallDue(): Promise<ReturnType<typeof ivrCall>> {
  await redis.del(keys.pendingEmissions);
  const call = ivrCall();
  await processor().processor.apply(
    call.telephonySessionId,
    call.notifications.flatMap((n) => normaliseNotification(n)),
  );
  await redis.zadd(keys.pendingEmissions, 0, call.telephonySessionId);
  return call;
}

function emitterOf(
  ledger: EmissionLedger,
  producer: EmitterDeps['producer'],
  metrics = createCallStateMetrics(createRegistry('test')),
): Emitter {
  return new Emitter({
    redis,
    keys,
    channels,
    store,
    ledger,
    cache: new SessionCache(100),
    schedule: new SessionSchedule(redis, keys),
    producer,
    topic: `${name}-completed`,
    monitored: { isMonitored: (id) => id === AGENT_EXTENSION, version: 0 },
    metrics,
    logger: createLogger('test', 'silent'),
    leaseMs: 30000,
    graceMs: 60000,
    retentionMs: 60000,
  });
}

describe('two emitters of one session', () => {
  it('sends nothing the other recorded after this one read the session, not even under a new version', async () => {
    const call = await endedCallDue();
    const realLedger = new EmissionLedger(redis, keys);
    // The other emitter (its lease ran out behind a Kafka outage, then its send went through) allocates and records
    // the same records after this one read "nothing emitted" and before this one allocates.
    let otherRecorded = 0;
    const ledger = new (class extends EmissionLedger {
      override async allocate(session: string, records: Parameters<EmissionLedger['allocate']>[1]): Promise<Allocated[]> {
        if (otherRecorded === 0) {
          const theirs = await realLedger.allocate(session, records);
          const sent = new Map<string, Emitted>();
          records.forEach((record, index) => {
            const allocated = theirs[index];
            if (allocated && allocated !== 'emitted')
              sent.set(record.emitKey, { version: allocated.version, fingerprint: record.fingerprint });
          });
          await realLedger.record(session, sent);
          otherRecorded = sent.size;
        }
        return super.allocate(session, records);
      }
    })(redis, keys);
    const sends: Array<{ topic: string; messages: Array<{ key: string; value: string }> }> = [];
    const metrics = createCallStateMetrics(createRegistry('test'));
    const emitter = emitterOf(
      ledger,
      {
        send: async (record) => {
          sends.push(record as (typeof sends)[number]);
          return [];
        },
      },
      metrics,
    );
    await emitter.emitDue();
    expect(otherRecorded).toBeGreaterThan(0);
    expect(sends.flatMap((send) => send.messages)).toEqual([]);
    expect((await metrics.recordsFoundEmitted.get()).values[0]?.value).toBe(otherRecorded);
    const { emitted } = await store.loadEmitState(call.telephonySessionId);
    expect([...emitted.values()].map((entry) => entry.version)).toEqual(Array(otherRecorded).fill(1));
  });
});

describe('two emitters sending one record', () => {
  it("count it in today's counters once: the emitter whose bookkeeping lands", async () => {
    const call = await endedCallDue();
    // The other emitter allocated the same versions (its send was in flight when this one's lease began) and its
    // bookkeeping lands while this one's send is on its way: it records the records and counts them.
    const realLedger = new EmissionLedger(redis, keys);
    const counters = new DayCounters(redis, keys);
    let otherCounted = 0;
    const producer = {
      send: async (message: { topic: string; messages: Array<{ key: string; value: string }> }) => {
        const records = message.messages
          .map((m) => JSON.parse(m.value))
          .filter((record) => record.kind === 'leg' || record.kind === 'session');
        if (records.length === 0) return [];
        const sent = new Map<string, Emitted>();
        const pipeline = redis.pipeline();
        for (const record of records) {
          const emitKey = record.kind === 'leg' ? record.partyId : SESSION_EMIT_KEY;
          sent.set(emitKey, { version: record.version, fingerprint: fingerprint({ ...record, version: 0 }) });
          if (record.kind === 'leg') {
            counters.count(pipeline, countedLeg(record), undefined);
            otherCounted += 1;
          }
        }
        await realLedger.record(call.telephonySessionId, sent);
        await pipeline.exec();
        return [];
      },
    };
    const emitter = emitterOf(realLedger, producer);
    await emitter.emitDue();
    expect(otherCounted).toBe(1);
    const dayKeys = await redis.keys(keys.extensionDayCounters(AGENT_EXTENSION, '*'));
    const calls = await Promise.all(dayKeys.map((key) => redis.hget(key, 'calls')));
    expect(calls.reduce((sum, value) => sum + Number(value ?? 0), 0)).toBe(1);
  });
});
