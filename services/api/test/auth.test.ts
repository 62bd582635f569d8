// Keys and roles (HTTP, SSE, WebSocket), the admin mutations, admin commands to ingest, the loopback-only read-only mode
// without keys, and the query limits.
import { networkInterfaces } from 'node:os';
import { redisChannels, redisKeys } from '@callpulse/contracts';
import { createClickHouseClient, createRedis, createSubscriber, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { freePort, startServiceProcess } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { gql, sseSubscribe, wsClient, wsSubscribe } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_auth'));
const keys = redisKeys(iso.env.REDIS_KEY_PREFIX);
const channels = redisChannels(iso.env.REDIS_KEY_PREFIX);
const ADMIN = 'auth-admin-key-1';
const VIEWER = 'auth-viewer-key-1';
const redis = createRedis(redisUrl);
const started: Started[] = [];
let api: Started;

const extension = (id: string, extensionNumber: string, name: string) =>
  JSON.stringify({ id, extensionNumber, name, type: 'User', status: 'Enabled' });

beforeAll(async () => {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(iso.name)}` });
  await clickhouse.close();
  await redis.hset(keys.extensions, {
    '1001': extension('1001', '101', 'Dana Whitfield'),
    '1002': extension('1002', '102', 'Ravi Oru'),
    '1003': extension('1003', '103', 'Zoe Lind'),
  });
  await redis.sadd(keys.monitoredExtensions, '1001');
  api = await startService('api', iso, {
    API_KEYS: `admin:${ADMIN},viewer:${VIEWER},viewer:auth-viewer-key-2`,
    API_ADMIN_COMMAND_TIMEOUT_MS: '5000',
  });
  started.push(api);
});

afterAll(async () => {
  for (const service of started) expect(await service.process.stop()).toBe(0);
  redis.disconnect();
  await cleanUp(iso);
});

describe('API keys', () => {
  it('answers 401 without data to a missing or wrong key over HTTP and SSE', async () => {
    for (const key of [undefined, 'wrong-key', `${ADMIN}x`]) {
      const result = await gql(api.url, '{ liveSummary { total } }', { key });
      expect(result.status).toBe(401);
      expect(result.data).toBeUndefined();
      const sse = await sseSubscribe(api.url, 'subscription { liveSummaryChanged { total } }', key);
      sse.close();
      expect(sse.status).toBe(401);
    }
    expect((await gql(api.url, '{ liveSummary { total } }', { key: 'auth-viewer-key-2' })).status).toBe(200);
  });

  it('closes a WebSocket with a wrong key: 4401 after connection_init, 401 at the upgrade', async () => {
    const client = wsClient(api.url, 'wrong-key');
    const subscription = wsSubscribe(client, '{ liveSummary { total } }');
    await waitFor(() => client.closedWith.length > 0, { what: 'the socket to close' });
    expect(client.closedWith[0]?.code).toBe(4401);
    expect(subscription.received).toEqual([]);
    await client.dispose();

    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${api.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: { authorization: 'Bearer wrong' },
      });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it('lets a viewer read but not change anything', async () => {
    const read = await gql(api.url, '{ extensions(first: 10) { totalCount edges { node { id extensionNumber name type monitored } } } }', {
      key: VIEWER,
    });
    expect(read.data?.extensions.totalCount).toBe(3);
    expect(read.data?.extensions.edges[0].node).toEqual({
      id: '1001',
      extensionNumber: '101',
      name: 'Dana Whitfield',
      type: 'User',
      monitored: true,
    });
    const change = await gql(api.url, 'mutation { setMonitoredExtensions(ids: ["1002"]) { id } }', { key: VIEWER });
    expect(change.errors?.[0]?.message).toMatch(/mutations need an admin API key; this key has the viewer role/);
    expect(change.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await redis.smembers(keys.monitoredExtensions)).toEqual(['1001']);
  });
});

describe('admin mutations', () => {
  it('set, add and remove monitored extensions, and name unknown ids', async () => {
    const set = await gql(api.url, 'mutation { setMonitoredExtensions(ids: ["1002", "1003"]) { id monitored } }', { key: ADMIN });
    expect(set.data?.setMonitoredExtensions).toEqual([
      { id: '1002', monitored: true },
      { id: '1003', monitored: true },
    ]);
    const add = await gql(api.url, 'mutation { addMonitoredExtensions(ids: "1001") { id } }', { key: ADMIN });
    expect(add.data?.addMonitoredExtensions.map((e: { id: string }) => e.id)).toEqual(['1001', '1002', '1003']);
    const remove = await gql(api.url, 'mutation { removeMonitoredExtensions(ids: ["1003"]) { id } }', { key: ADMIN });
    expect(remove.data?.removeMonitoredExtensions.map((e: { id: string }) => e.id)).toEqual(['1001', '1002']);
    const unknown = await gql(api.url, 'mutation { addMonitoredExtensions(ids: ["1001", "9999"]) { id } }', { key: ADMIN });
    expect(unknown.errors?.[0]?.message).toMatch(/unknown extension id .*9999/);
    const monitored = await gql(api.url, '{ extensions(monitoredOnly: true) { totalCount } }', { key: ADMIN });
    expect(monitored.data?.extensions.totalCount).toBe(2);
  });

  it('says when no ingest instance answers an admin command, and relays the answer when one does', async () => {
    const none = await gql(api.url, 'mutation { syncExtensions { ok result } }', { key: ADMIN });
    expect(none.errors?.[0]?.message).toMatch(/no ingest instance with RingCentral credentials answered the sync-extensions command/);

    // A stand-in for ingest's command listener (services/ingest/src/admin/commands.ts speaks the same protocol).
    const listener = createSubscriber(redisUrl);
    await listener.subscribe(channels.adminCommands);
    const commands: Array<{ id: string; command: string }> = [];
    listener.on('message', (_channel, message) => {
      const command = JSON.parse(message) as { id: string; command: string };
      commands.push(command);
      const reply =
        command.command === 'sync-extensions'
          ? { id: command.id, ok: true, result: { count: 3 } }
          : { id: command.id, ok: false, error: 'RingCentral said 429' };
      void redis.publish(channels.adminReply(command.id), JSON.stringify(reply));
    });
    try {
      const synced = await gql(api.url, 'mutation { syncExtensions { ok result } }', { key: ADMIN });
      expect(synced.data?.syncExtensions).toEqual({ ok: true, result: '{"count":3}' });
      const failed = await gql(api.url, 'mutation { recreateSubscription { ok } }', { key: ADMIN });
      expect(failed.errors?.[0]?.message).toMatch(/ingest could not run recreate-subscription: RingCentral said 429/);
      expect(commands.map((command) => command.command)).toEqual(['sync-extensions', 'recreate-subscription']);
    } finally {
      listener.disconnect();
    }
  });
});

describe('without API keys', () => {
  it('answers only on loopback, read-only, and warns', async () => {
    const local = await startService('api', { ...iso, env: { ...iso.env, LOG_LEVEL: 'warn' } }, { API_KEYS: '', API_HOST: '0.0.0.0' });
    started.push(local);
    expect(local.process.output()).toMatch(/API_KEYS is empty: the API answers on loopback only and is read-only/);
    expect((await gql(local.url, '{ liveSummary { total } }')).status).toBe(200);
    const change = await gql(local.url, 'mutation { setMonitoredExtensions(ids: ["1001"]) { id } }');
    expect(change.errors?.[0]?.message).toMatch(/mutations need an admin API key/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) {
      await expect(fetch(`http://${external.address}:${local.port}/healthz`)).rejects.toThrow();
    }
  });
});

describe('/readyz', () => {
  it('names the dependency that is not ready to anyone, and shows the backend error text only to a valid key', async () => {
    const port = await freePort();
    const child = startServiceProcess('api', {
      ...iso.env,
      API_PORT: String(port),
      API_KEYS: `viewer:${VIEWER}`,
      CLICKHOUSE_URL: 'http://127.0.0.1:1',
    });
    try {
      const url = `http://127.0.0.1:${port}/readyz`;
      // Right after start-up the live channels may not be subscribed yet: wait for the ClickHouse reason.
      const anonymous = await waitFor(async () => {
        const response = await fetch(url);
        const body = response.status === 503 ? ((await response.json()) as { reason: string }) : undefined;
        return body?.reason.startsWith('ClickHouse') ? body : undefined;
      });
      expect(anonymous.reason).toBe('ClickHouse does not answer');
      for (const authorization of ['Bearer wrong-key', 'Basic abc']) {
        const wrong = (await (await fetch(url, { headers: { authorization } })).json()) as { reason: string };
        expect(wrong.reason).toBe('ClickHouse does not answer');
      }
      const detailed = (await (await fetch(url, { headers: { authorization: `Bearer ${VIEWER}` } })).json()) as { reason: string };
      expect(detailed.reason).toMatch(/^ClickHouse does not answer: .*(ECONNREFUSED|connect)/);
    } finally {
      await child.stop();
    }
  });
});

describe('limits', () => {
  it('refuses queries that are too deep or have too many aliases (cost: limits.test.ts)', async () => {
    const limited = await startService('api', iso, {
      API_KEYS: `viewer:${VIEWER}`,
      API_MAX_DEPTH: '4',
      API_MAX_ALIASES: '2',
    });
    started.push(limited);
    const ask = (query: string) => gql(limited.url, query, { key: VIEWER });
    expect((await ask('{ extensions { edges { node { id } } } }')).errors).toBeUndefined();
    const deep = await ask('{ calls { edges { node { from { phoneNumber } } } } }');
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
    expect(deep.data).toBeUndefined();
    const aliases = await ask('{ a: liveSummary { total } b: liveSummary { total } c: liveSummary { total } }');
    expect(aliases.errors?.[0]?.message).toMatch(/aliases/i);
  });
});
