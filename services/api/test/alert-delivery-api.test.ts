// Alert delivery through two built API processes against the real Redis and ClickHouse: a target made with
// createAlertTarget gets every transition committed to the outbox (XADD, as the evaluator's script) once, in order and
// signed, from whichever instance holds the delivery lease; when that instance is killed (SIGKILL) the other takes
// over and the target still gets each transition once, in order; alertTargets shows the delivery state,
// testAlertTarget answers, the holder's metrics count the deliveries, and ClickHouse keeps every transition.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AlertTransition, redisKeys } from '@callpulse/contracts';
import { createClickHouseClient, createRedis, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { verifySignature } from '../src/alerts/delivery/signature.js';
import { gql } from './support/client.js';
import { migrateTestDatabase } from './support/migrate.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_alert_delivery'));
const keys = redisKeys(iso.env.REDIS_KEY_PREFIX);
const ADMIN = 'delivery-admin-key';
const SECRET = 'whsec_api_delivery';
const redis = createRedis(redisUrl);
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const apis: Started[] = [];
let server: Server;
let receiverUrl = '';
const received: Array<{ id: string; valid: boolean; type: string }> = [];
let failingStatus = 200;

beforeAll(async () => {
  await migrateTestDatabase(iso.name);
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (request.url === '/failing') return void response.writeHead(failingStatus).end();
      const valid = verifySignature({
        secret: SECRET,
        body: raw,
        timestamp: request.headers['x-callpulse-timestamp'] as string | undefined,
        signature: request.headers['x-callpulse-signature'] as string | undefined,
      }).ok;
      received.push({ id: String(request.headers['x-callpulse-delivery']), valid, type: (JSON.parse(raw) as { type: string }).type });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = { API_KEYS: `admin:${ADMIN}`, API_ALERT_EVALUATOR: '0', API_ALERT_DELIVERY_TIMEOUT_MS: '2000' };
  apis.push(await startService('api', iso, env), await startService('api', iso, env));
}, 120_000);

afterAll(async () => {
  for (const api of apis) await api.process.stop('SIGKILL');
  server?.closeAllConnections();
  server?.close();
  await cleanUp(iso);
  await clickhouse.close();
  redis.disconnect();
});

let seq = 0;
async function commit(targetIds: string[]): Promise<string> {
  seq++;
  const transition: AlertTransition = {
    id: `rule-api:queue-1:${seq}`,
    ruleId: 'rule-api',
    ruleName: 'Support waiting',
    severity: 'CRITICAL',
    conditionKind: 'QUEUE_WAITING',
    subject: 'queue-1',
    subjectName: null,
    status: seq % 2 === 1 ? 'FIRING' : 'RESOLVED',
    seq,
    value: 9,
    threshold: 5,
    atMs: Date.now(),
    firedAtMs: seq % 2 === 1 ? null : Date.now() - 500,
    summary: `transition ${seq}`,
    targetIds,
  };
  await redis.xadd(keys.alertOutbox, '*', 't', JSON.stringify(transition));
  return transition.id;
}

const deliveredBy = async (api: Started): Promise<number> => {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('callpulse_api_alert_deliveries_total{result="delivered"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe('alert delivery in the API', () => {
  it('delivers each transition once, in order, signed, across two instances and the death of the holder', async () => {
    const created = await gql(api0().url, 'mutation($t: AlertTargetInput!) { createAlertTarget(target: $t) { id } }', {
      key: ADMIN,
      variables: { t: { name: 'receiver', kind: 'WEBHOOK', url: `${receiverUrl}/hook`, secret: SECRET } },
    });
    expect(created.errors).toBeUndefined();
    const targetId: string = created.data?.createAlertTarget.id;
    const failing = await gql(api0().url, 'mutation($t: AlertTargetInput!) { createAlertTarget(target: $t) { id } }', {
      key: ADMIN,
      variables: { t: { name: 'failing', kind: 'SLACK', url: `${receiverUrl}/failing`, enabled: false } },
    });
    const failingId: string = failing.data?.createAlertTarget.id;
    await sleep(2500); // the holder reads the targets every 2 s
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) sent.push(await commit([targetId]));
    await waitFor(() => received.length >= 10, { what: 'the first ten deliveries' });
    const counts = await Promise.all(apis.map(deliveredBy));
    expect(counts.filter((count) => count > 0)).toEqual([10]); // one instance delivers
    const holder = apis[counts.findIndex((count) => count > 0)] as Started;
    const other = apis.find((api) => api !== holder) as Started;

    const listed = await gql(other.url, '{ alertTargets { id delivery { failing failures lastError lastSuccessAt pending } } }', {
      key: ADMIN,
    });
    expect(listed.errors).toBeUndefined();
    const state = listed.data?.alertTargets.find((target: { id: string }) => target.id === targetId);
    expect(state.delivery).toMatchObject({ failing: false, failures: 0, lastError: null, pending: 0 });
    expect(state.delivery.lastSuccessAt).toMatch(/^\d{4}-/);

    const test = await gql(other.url, 'mutation($id: ID!) { testAlertTarget(id: $id) }', { key: ADMIN, variables: { id: targetId } });
    expect(test).toMatchObject({ data: { testAlertTarget: true } });
    expect(received.at(-1)).toMatchObject({ type: 'alert.test', valid: true });
    received.pop();
    failingStatus = 500;
    const refused = await gql(other.url, 'mutation($id: ID!) { testAlertTarget(id: $id) }', { key: ADMIN, variables: { id: failingId } });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'the target did not accept the test: HTTP 500',
      extensions: { code: 'ALERT_TARGET_FAILED', status: 500 },
    });

    // The holder dies without giving the lease back; the other takes over within the lease's expiry.
    await holder.process.stop('SIGKILL');
    for (let i = 0; i < 10; i++) sent.push(await commit([targetId]));
    await waitFor(() => received.length >= 20, { what: 'the deliveries after the take-over', timeoutMs: 20_000 });
    await sleep(1000);
    expect(received.map((entry) => entry.id)).toEqual(sent);
    expect(received.every((entry) => entry.valid)).toBe(true);
    expect(await deliveredBy(other)).toBe(10);

    const rows = await waitFor(
      async () => {
        const result = await clickhouse.query({
          query: `SELECT uniqExact(id) AS ids, count() AS n FROM ${escapeIdentifier(iso.name)}.alert_transitions`,
          format: 'JSONEachRow',
        });
        const [row] = await result.json<{ ids: number; n: number }>();
        return row && row.ids >= 20 ? row : undefined;
      },
      { what: 'every transition in ClickHouse' },
    );
    expect(rows).toEqual({ ids: 20, n: 20 });
  }, 90_000);
});

function api0(): Started {
  return apis[0] as Started;
}
