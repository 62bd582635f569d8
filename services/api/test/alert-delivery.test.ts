// Alert delivery on the real Redis and ClickHouse with local receivers (node:http): transitions written into the
// outbox as the evaluator's commit script writes them (XADD, field `t`), delivered by AlertDelivery in-process with a
// short backoff: each target gets every transition addressed to it, in order, signed; a receiver that fails (500,
// then refusing connections) is marked failing, gets everything afterwards in order and delays no healthy target; two
// instances deliver each transition once; the ClickHouse sink stores each transition once even when it died between
// its insert and its cursor write. AlertTarget.delivery and testAlertTarget read and act on the same state.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AlertTarget, type AlertTransition, type RedisKeys, redisKeys } from '@callpulse/contracts';
import { createClickHouseClient, createLogger, createRedis, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { ClickHouseSink, type ClickHouseSinkDeps } from '../src/alerts/delivery/clickhouse-sink.js';
import { AlertDelivery, type AlertDeliveryOptions } from '../src/alerts/delivery/delivery.js';
import { verifySignature } from '../src/alerts/delivery/signature.js';
import { TargetLoop } from '../src/alerts/delivery/target-loop.js';
import { deliveryResolvers } from '../src/graphql/alert-delivery-resolvers.js';
import type { ApiContext, ApiDeps } from '../src/graphql/context.js';
import { migrateTestDatabase } from './support/migrate.js';

const logger = createLogger('test', 'silent');
const redis = createRedis(redisUrl);
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const database = uniqueName('alert_delivery');
const SECRET = 'whsec_delivery_test';

interface Received {
  id: string;
  type: string;
  valid: boolean;
  seq: number;
}

/** A receiver: answers each POST as `answer` says (a status), records the ones it answered 2xx. */
class Receiver {
  private server: Server | undefined;
  port = 0;
  accepted: Received[] = [];
  attempts = 0;
  answer: () => number = () => 200;

  async listen(port = 0): Promise<this> {
    this.server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.attempts++;
        const raw = Buffer.concat(chunks).toString('utf8');
        const status = this.answer();
        if (status >= 200 && status < 300) {
          const body = JSON.parse(raw) as { type: string; seq: number };
          const valid = verifySignature({
            secret: SECRET,
            body: raw,
            timestamp: request.headers['x-callpulse-timestamp'] as string | undefined,
            signature: request.headers['x-callpulse-signature'] as string | undefined,
          }).ok;
          this.accepted.push({ id: String(request.headers['x-callpulse-delivery']), type: body.type, valid, seq: body.seq });
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Stops listening: connections are refused until listen(port) again. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const receivers: Receiver[] = [];
const deliveries: AlertDelivery[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  await migrateTestDatabase(database);
});

afterAll(async () => {
  await Promise.all(deliveries.map((delivery) => delivery.stop()));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  for (const prefix of prefixes) {
    const found = await redis.keys(`${prefix}*`);
    if (found.length > 0) await redis.del(...found);
  }
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(database)}` });
  await clickhouse.close();
  redis.disconnect();
});

function setup(label: string) {
  const prefix = `${uniqueName(label)}:`;
  prefixes.push(prefix);
  const keys = redisKeys(prefix);
  let seq = 0;
  /** The transitions of each test have ids of their own: ClickHouse's table is shared by the tests. */
  const ruleId = `rule-${prefix.slice(0, -1)}`;
  const addTarget = async (id: string, url: string, fields: Partial<AlertTarget> = {}) => {
    const target: AlertTarget = {
      id,
      name: `target ${id}`,
      kind: 'WEBHOOK',
      url,
      secret: SECRET,
      enabled: true,
      createdAtMs: Date.now(),
      updatedAtMs: Date.now(),
      ...fields,
    };
    await redis.hset(keys.alertTargets, id, JSON.stringify(target));
    return target;
  };
  /** Commits a transition as the evaluator's script does: XADD to the outbox, field t. */
  const commit = async (targetIds: string[]): Promise<AlertTransition> => {
    seq++;
    const transition: AlertTransition = {
      id: `${ruleId}:queue-1:${seq}`,
      ruleId,
      ruleName: 'Support waiting',
      severity: 'WARNING',
      conditionKind: 'QUEUE_WAITING',
      subject: 'queue-1',
      subjectName: 'Support',
      status: seq % 2 === 1 ? 'FIRING' : 'RESOLVED',
      seq,
      value: seq % 2 === 1 ? 7 : null,
      threshold: 5,
      atMs: Date.now(),
      firedAtMs: seq % 2 === 1 ? null : Date.now() - 1000,
      summary: `transition ${seq}`,
      targetIds,
    };
    await redis.xadd(keys.alertOutbox, '*', 't', JSON.stringify(transition));
    return transition;
  };
  const start = (options: Partial<AlertDeliveryOptions> = {}) => {
    const delivery = new AlertDelivery({
      redisUrl,
      keys,
      logger,
      timeoutMs: 1000,
      backoff: { baseMs: 100, capMs: 800 },
      leaseTtlMs: 3000,
      leaseRenewMs: 200,
      targetsRefreshMs: 200,
      ...options,
    });
    deliveries.push(delivery);
    delivery.start();
    return delivery;
  };
  return { keys, addTarget, commit, start };
}

async function receiver(): Promise<Receiver> {
  const made = await new Receiver().listen();
  receivers.push(made);
  return made;
}

const ids = (received: Received[]) => received.map((entry) => entry.id);

describe('alert delivery', () => {
  it('gives each target every transition addressed to it, in order, signed, once; and ClickHouse every transition', async () => {
    const { keys, addTarget, commit, start } = setup('alert_order');
    const [a, b] = [await receiver(), await receiver()];
    await addTarget('a', a.url);
    await addTarget('b', b.url);
    start({ clickhouse: { client: clickhouse, database } });
    const expected: Record<'a' | 'b', string[]> = { a: [], b: [] };
    const all: string[] = [];
    for (let i = 0; i < 30; i++) {
      const to = [['a', 'b'], ['a'], ['b'], []][i % 4] as Array<'a' | 'b'>;
      const transition = await commit(to);
      all.push(transition.id);
      for (const target of to) expected[target].push(transition.id);
      if (i % 7 === 0) await sleep(30);
    }
    await waitFor(() => a.accepted.length >= expected.a.length && b.accepted.length >= expected.b.length, { what: 'every delivery' });
    await sleep(500); // nothing more comes
    expect(ids(a.accepted)).toEqual(expected.a);
    expect(ids(b.accepted)).toEqual(expected.b);
    expect([...a.accepted, ...b.accepted].every((entry) => entry.valid)).toBe(true);
    expect(a.accepted.map((entry) => entry.type).slice(0, 2)).toEqual(['alert.firing', 'alert.resolved']);
    const stored = await waitFor(
      async () => {
        const result = await clickhouse.query({
          query: `SELECT id, status, value, target_ids FROM ${escapeIdentifier(database)}.alert_transitions WHERE id IN (${all.map((id) => `'${id}'`).join(', ')}) ORDER BY outbox_id`,
          format: 'JSONEachRow',
        });
        const rows = await result.json<{ id: string; status: string; value: number | null; target_ids: string[] }>();
        return rows.length >= all.length ? rows : undefined;
      },
      { what: 'every transition in ClickHouse' },
    );
    expect(stored.map((row) => row.id).sort()).toEqual([...all].sort());
    expect(stored.find((row) => row.id === all[0])).toMatchObject({ status: 'FIRING', value: 7, target_ids: ['a', 'b'] });
    expect(stored.find((row) => row.id === all[1])).toMatchObject({ status: 'RESOLVED', value: null, target_ids: ['a'] });
    // The delivery state: caught up, nothing pending.
    const deps = { redis, keys, logger, config: { API_ALERT_DELIVERY_TIMEOUT_MS: 1000 } } as unknown as ApiDeps;
    const state = await deliveryResolvers(deps).AlertTarget.delivery({ id: 'a', createdAtMs: Date.now() - 10_000 });
    expect(state).toMatchObject({ failing: false, failures: 0, lastError: null, pending: 0 });
    expect(state.lastSuccessAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('keeps a failing receiver`s transitions until it recovers, in order, marks it failing, and delays no healthy target', async () => {
    const { keys, addTarget, commit, start } = setup('alert_failing');
    const [down, healthy] = [await receiver(), await receiver()];
    down.answer = () => 500;
    await addTarget('down', down.url);
    await addTarget('healthy', healthy.url);
    start();
    const deps = { redis, keys, logger, config: { API_ALERT_DELIVERY_TIMEOUT_MS: 1000 } } as unknown as ApiDeps;
    const resolvers = deliveryResolvers(deps);
    const sent: string[] = [];
    // Phase 1: the receiver answers 500.
    for (let i = 0; i < 5; i++) sent.push((await commit(['down', 'healthy'])).id);
    await waitFor(() => healthy.accepted.length >= 5, { what: 'the healthy target`s first five', timeoutMs: 3000 });
    const failing = await waitFor(
      async () => {
        const state = await resolvers.AlertTarget.delivery({ id: 'down', createdAtMs: Date.now() });
        return state.failing ? state : undefined;
      },
      { what: 'the failing target marked failing', timeoutMs: 5000 },
    );
    expect(failing).toMatchObject({ failing: true, lastError: 'HTTP 500', pending: 5 });
    expect(failing.failures).toBeGreaterThanOrEqual(3);
    // Phase 2: the receiver refuses connections; the healthy target still gets each transition at once.
    const port = down.port;
    await down.close();
    for (let i = 0; i < 5; i++) {
      const id = (await commit(['down', 'healthy'])).id;
      sent.push(id);
      await waitFor(() => ids(healthy.accepted).includes(id), { what: 'the healthy target`s delivery', timeoutMs: 1500 });
    }
    await waitFor(
      async () => (await resolvers.AlertTarget.delivery({ id: 'down', createdAtMs: Date.now() })).lastError?.includes('ECONNREFUSED'),
      { what: 'the refused connection recorded', timeoutMs: 5000 },
    );
    // Phase 3: back, answering 200: everything, in order, none lost.
    down.answer = () => 200;
    await down.listen(port);
    for (let i = 0; i < 3; i++) sent.push((await commit(['down', 'healthy'])).id);
    await waitFor(() => down.accepted.length >= sent.length, { what: 'the recovered target`s backlog', timeoutMs: 10_000 });
    await sleep(300);
    expect(ids(down.accepted)).toEqual(sent);
    expect(ids(healthy.accepted)).toEqual(sent);
    expect(down.attempts).toBeGreaterThan(sent.length); // it did fail
    expect(await resolvers.AlertTarget.delivery({ id: 'down', createdAtMs: Date.now() })).toMatchObject({
      failing: false,
      failures: 0,
      lastError: null,
      pending: 0,
    });
  });

  it('delivers each transition once with two instances, also when the holder stops and the other takes over', async () => {
    const { addTarget, commit, start } = setup('alert_two');
    const target = await receiver();
    await addTarget('t', target.url);
    const first = start();
    const second = start();
    const sent: string[] = [];
    for (let i = 0; i < 15; i++) sent.push((await commit(['t'])).id);
    await waitFor(() => target.accepted.length >= 15, { what: 'the first deliveries' });
    expect([first.holding(), second.holding()].filter(Boolean)).toHaveLength(1);
    const holder = first.holding() ? first : second;
    const other = holder === first ? second : first;
    await holder.stop();
    for (let i = 0; i < 15; i++) sent.push((await commit(['t'])).id);
    await waitFor(() => target.accepted.length >= 30, { what: 'the deliveries after the take-over' });
    await sleep(500);
    expect(other.holding()).toBe(true);
    expect(ids(target.accepted)).toEqual(sent);
  });

  it('stops delivering to a disabled or deleted target; a new target gets only what comes after it', async () => {
    const { keys, addTarget, commit, start } = setup('alert_targets');
    const target = await receiver();
    await commit(['late']); // before the target exists (not addressable in practice): skipped as before its creation
    await addTarget('t', target.url);
    // The state of a target deleted while no instance delivered: removed at take-over.
    await redis.hset(keys.alertDelivery('gone'), 'cursor', '0-0', 'failures', '4');
    start();
    await waitFor(async () => (await redis.exists(keys.alertDelivery('gone'))) === 0, { what: 'the orphan state removed' });
    const first = await commit(['t']);
    await waitFor(() => target.accepted.length >= 1, { what: 'the first delivery' });
    await addTarget('t', target.url, { enabled: false });
    await sleep(500);
    await commit(['t']);
    await sleep(600);
    expect(ids(target.accepted)).toEqual([first.id]);
    await redis.hdel(keys.alertTargets, 't');
    await waitFor(async () => (await redis.exists(keys.alertDelivery('t'))) === 0, { what: 'the deleted target`s state removed' });
  });

  it('goes on after a moment without the lease (a late renewal) instead of ending the target`s loop', async () => {
    const { keys, addTarget, commit } = setup('alert_pause');
    const target = await receiver();
    const stored = await addTarget('t', target.url);
    let holder = true;
    const loop = new TargetLoop(
      {
        redis,
        keys,
        logger,
        timeoutMs: 1000,
        backoff: { baseMs: 100, capMs: 800 },
        waitForEntries: (maxMs, signal) => sleep(Math.min(maxMs, 50), undefined, { signal }).catch(() => undefined),
        isHolder: () => holder,
      },
      stored,
    );
    loop.start();
    try {
      const first = await commit(['t']);
      await waitFor(() => target.accepted.length >= 1, { what: 'the first delivery' });
      holder = false;
      await sleep(300);
      const second = await commit(['t']);
      await sleep(300);
      expect(target.accepted).toHaveLength(1); // nothing sent without the lease
      holder = true;
      await waitFor(() => target.accepted.length >= 2, { what: 'the delivery once the lease is held again', timeoutMs: 5000 });
      expect(ids(target.accepted)).toEqual([first.id, second.id]);
    } finally {
      await loop.stop();
    }
  });

  it('answers testAlertTarget: true on 2xx, the error named otherwise, admin only', async () => {
    const { keys, addTarget } = setup('alert_test');
    const ok = await receiver();
    const failing = await receiver();
    failing.answer = () => 503;
    await addTarget('ok', ok.url);
    await addTarget('failing', failing.url);
    const deps = { redis, keys, logger, config: { API_ALERT_DELIVERY_TIMEOUT_MS: 1000 } } as unknown as ApiDeps;
    const { testAlertTarget } = deliveryResolvers(deps).Mutation;
    const admin = { role: 'admin' } as ApiContext;
    expect(await testAlertTarget(undefined, { id: 'ok' }, admin)).toBe(true);
    expect(ok.accepted).toEqual([expect.objectContaining({ type: 'alert.test', valid: true })]);
    await expect(testAlertTarget(undefined, { id: 'failing' }, admin)).rejects.toThrow('the target did not accept the test: HTTP 503');
    await expect(testAlertTarget(undefined, { id: 'nope' }, admin)).rejects.toThrow(/no alert target/);
    await expect(testAlertTarget(undefined, { id: 'ok' }, { role: 'viewer' } as ApiContext)).rejects.toThrow(/admin/);
  });
});

describe('the ClickHouse sink', () => {
  /** A sink over the test's Redis and ClickHouse that always holds the lease. */
  const sinkOf = (keys: RedisKeys, options: Partial<ClickHouseSinkDeps> = {}) =>
    new ClickHouseSink({
      redis,
      keys,
      clickhouse,
      database,
      logger,
      backoff: { baseMs: 100, capMs: 800 },
      waitForEntries: () => sleep(10),
      isHolder: () => true,
      ...options,
    });

  it('stores each transition once when it died between its insert and its cursor write, and when run again', async () => {
    const { keys, commit } = setup('alert_sink');
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) sent.push((await commit(['x'])).id);
    const sink = (afterInsert?: () => Promise<void>) => sinkOf(keys, { batchSize: 5, ...(afterInsert ? { afterInsert } : {}) });
    // The first sink inserts a batch and "dies" before moving its cursor.
    await expect(
      sink(async () => {
        throw new Error('killed');
      }).step(),
    ).rejects.toThrow('killed');
    expect(await redis.get(keys.alertClickHouseCursor)).toBeNull();
    // The next one goes over the same entries, and all the rest; a third finds nothing new.
    const next = sink();
    while ((await next.step()) > 0);
    expect(await sink().step()).toBe(0);
    const count = async (final: string) => {
      const result = await clickhouse.query({
        query: `SELECT count() AS n, uniqExact(id) AS ids FROM ${escapeIdentifier(database)}.alert_transitions ${final} WHERE id IN (${sent.map((id) => `'${id}'`).join(', ')}) `,
        format: 'JSONEachRow',
      });
      return (await result.json<{ n: number; ids: number }>())[0];
    };
    expect(await count('')).toEqual({ n: 12, ids: 12 });
  });
  it('copies the first transition of a quiet spell at once and those that follow within its gap in one insert', async () => {
    const { keys, commit } = setup('alert_sink_gap');
    const inserts: number[] = [];
    const sink = sinkOf(keys, { gapMs: 1500, onInserted: (rows) => inserts.push(rows) });
    sink.start();
    try {
      await commit(['x']);
      await waitFor(() => inserts.length === 1, { what: 'the first transition copied' });
      // Five more, 80 ms apart: without the gap each would be an insert of its own.
      for (let i = 0; i < 5; i++) {
        await sleep(80);
        await commit(['x']);
      }
      await waitFor(() => inserts.reduce((sum, rows) => sum + rows, 0) === 6, { what: 'the next five copied' });
      await sleep(300);
      expect(inserts).toEqual([1, 5]);
    } finally {
      await sink.stop();
    }
  });
});
