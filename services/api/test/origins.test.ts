// Which browsers and hosts the API answers: no CORS headers unless the Origin is in API_CORS_ORIGINS, a foreign Origin
// refused (HTTP and WebSocket upgrade), and without keys only loopback Host names (DNS rebinding); the explicit opt-in
// API_ALLOW_NO_KEYS_ON for a keyless API on another address.
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { startServiceProcess } from '../../../test/support/service-process.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_origins'));
const KEY = 'origins-viewer-key';
const DASHBOARD = 'https://dash.example.com';
const started: Started[] = [];
let local: Started;
let keyed: Started;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with any Host and Origin (fetch does not let a test set Host). */
function raw(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; address?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: options.address ?? '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/graphql',
        headers: {
          ...(options.method === 'GET' || options.method === 'OPTIONS' ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(
      options.body ??
        (options.method === 'GET' || options.method === 'OPTIONS' ? undefined : JSON.stringify({ query: '{ liveSummary { total } }' })),
    );
  });
}

/** The status of a WebSocket upgrade with these headers (101 when it opened). */
function upgrade(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', () => resolve(0));
  });
}

beforeAll(async () => {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(iso.name)}` });
  await clickhouse.close();
  local = await startService('api', iso, { API_KEYS: '' });
  keyed = await startService('api', iso, { API_KEYS: `viewer:${KEY}`, API_CORS_ORIGINS: `${DASHBOARD}, http://127.0.0.1:9` });
  started.push(local, keyed);
});

afterAll(async () => {
  for (const service of started) expect(await service.process.stop()).toBe(0);
  await cleanUp(iso);
});

describe('without API keys (loopback)', () => {
  it('answers loopback host names only (a DNS-rebound name gets 421)', async () => {
    for (const host of [`127.0.0.1:${local.port}`, `localhost:${local.port}`, `[::1]:${local.port}`, 'LOCALHOST']) {
      const answer = await raw(local.port, { headers: { host } });
      expect(answer.status, host).toBe(200);
    }
    for (const host of [`evil.example:${local.port}`, `127.0.0.1.evil.example:${local.port}`, `192.168.1.10:${local.port}`]) {
      const answer = await raw(local.port, { headers: { host } });
      expect(answer.status, host).toBe(421);
      expect(answer.body).not.toMatch(/liveSummary|total/);
      expect((await raw(local.port, { method: 'GET', path: '/metrics', headers: { host } })).status).toBe(421);
    }
    expect(await upgrade(local.port, { host: `evil.example:${local.port}` })).toBe(421);
  });

  it('sends no CORS headers and refuses a foreign Origin, over HTTP and WebSocket', async () => {
    const plain = await raw(local.port, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    const sameOrigin = await raw(local.port, { headers: { origin: `http://127.0.0.1:${local.port}` } });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers['access-control-allow-origin']).toBeUndefined();
    for (const origin of ['https://evil.example', 'null', `http://localhost:${local.port + 1}`]) {
      const foreign = await raw(local.port, { headers: { origin } });
      expect(foreign.status, origin).toBe(403);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      expect(foreign.body).not.toMatch(/total/);
      const preflight = await raw(local.port, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(await upgrade(local.port, { origin })).toBe(403);
    }
    expect(await upgrade(local.port, {})).toBe(101);
    expect(await upgrade(local.port, { origin: `http://127.0.0.1:${local.port}` })).toBe(101);
  });
});

describe('with API keys and API_CORS_ORIGINS', () => {
  it('allows the listed origins with CORS headers and refuses the others', async () => {
    const allowed = await raw(keyed.port, { headers: { origin: DASHBOARD, authorization: `Bearer ${KEY}` } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await raw(keyed.port, {
      method: 'OPTIONS',
      headers: { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/);
    const foreign = await raw(keyed.port, { headers: { origin: 'https://evil.example', authorization: `Bearer ${KEY}` } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(await upgrade(keyed.port, { origin: DASHBOARD })).toBe(101);
    expect(await upgrade(keyed.port, { origin: 'https://evil.example' })).toBe(403);
    // With keys any Host is answered (behind a proxy or a published container port).
    expect((await raw(keyed.port, { headers: { host: 'api.example.com', authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });

  it('refuses a malformed API_CORS_ORIGINS at start-up, naming it', async () => {
    const refused = startServiceProcess('api', { ...iso.env, API_PORT: '0', API_CORS_ORIGINS: 'https://dash.example.com/path' });
    expect(await refused.exited).toBe(78);
    expect(refused.output()).toMatch(/API_CORS_ORIGINS: "https:\/\/dash.example.com\/path" is not an origin/);
  });
});

describe('API_ALLOW_NO_KEYS_ON', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(external === undefined)('lets a keyless API listen on another address, still answering allowed host names only', async () => {
    const open = await startService(
      'api',
      { ...iso, env: { ...iso.env, LOG_LEVEL: 'warn' } },
      {
        API_KEYS: '',
        API_ALLOW_NO_KEYS_ON: '0.0.0.0',
        API_ALLOWED_HOSTS: external ?? '',
      },
    );
    started.push(open);
    expect(open.process.output()).toMatch(/API_ALLOW_NO_KEYS_ON opts in/);
    expect((await raw(open.port, { address: external, headers: {} })).status).toBe(200);
    expect((await raw(open.port, { address: external, headers: { host: `other.example:${open.port}` } })).status).toBe(421);
    expect((await raw(open.port, { headers: { host: `localhost:${open.port}` } })).status).toBe(200);
  });
});
