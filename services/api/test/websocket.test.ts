// What one WebSocket or SSE client may hold: frames of at most 64 KiB (a 1 MiB frame without a key closes the socket
// and does not grow the process), connection_init within 3 s, a bounded number of operations per connection and of
// streams per client address.
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { metricValue, sseSubscribe } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { openRawSocket } from './support/raw-ws.js';

const iso = isolation(uniqueName('api_ws'));
const KEY = 'ws-viewer-key';
let api: Started;

beforeAll(async () => {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(iso.name)}` });
  await clickhouse.close();
  api = await startService('api', iso, {
    API_KEYS: `viewer:${KEY}`,
    API_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
    API_MAX_STREAMS_PER_ADDRESS: '4',
  });
});

afterAll(async () => {
  if (api) expect(await api.process.stop()).toBe(0);
  await cleanUp(iso);
});

const rss = () => metricValue(api.url, 'process_resident_memory_bytes');

describe('WebSocket frames and handshake', () => {
  it('closes a socket that sends a 1 MiB frame before authenticating, without buffering it', async () => {
    const before = await rss();
    for (let i = 0; i < 20; i++) {
      const socket = await openRawSocket(api.url);
      socket.socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1024 * 1024) } }));
      const closed = await socket.closed;
      expect(closed.code).toBe(1009);
    }
    const after = await rss();
    expect(api.process.child.exitCode).toBeNull();
    // 20 MiB were sent; none of it may stay in the process.
    expect(after - before).toBeLessThan(16 * 1024 * 1024);
    // A frame under the limit is fine.
    const fine = await openRawSocket(api.url);
    await fine.init({ authorization: `Bearer ${KEY}`, pad: 'x'.repeat(32 * 1024) });
    fine.socket.close();
  });

  it('closes a socket that does not send connection_init within 3 s', async () => {
    const socket = await openRawSocket(api.url);
    const started = Date.now();
    const closed = await socket.closed;
    expect(closed.code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThan(2500);
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

describe('operations per connection and streams per address', () => {
  it('refuses a subscription beyond API_MAX_SUBSCRIPTIONS_PER_CONNECTION on one socket', async () => {
    const socket = await openRawSocket(api.url);
    await socket.init({ authorization: `Bearer ${KEY}` });
    for (const id of ['a', 'b', 'c', 'd']) socket.subscribe(id, 'subscription { callCompleted { partyId } }');
    const refused = await waitFor(() => socket.messages.find((message) => message.id === 'd' && message.type === 'error'));
    expect(refused.payload[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.payload[0].message).toMatch(/at most 3 operations/);
    expect(socket.messages.filter((message) => message.type === 'error')).toHaveLength(1);
    await waitFor(async () => (await metricValue(api.url, 'callpulse_api_active_subscriptions', 'field="callCompleted"')) === 3);
    socket.socket.close();
    await waitFor(async () => (await metricValue(api.url, 'callpulse_api_active_subscriptions', 'field="callCompleted"')) === 0);
  });

  it('refuses WebSocket connections and SSE subscriptions beyond API_MAX_STREAMS_PER_ADDRESS, and frees them on close', async () => {
    const sockets = await Promise.all([1, 2, 3].map(() => openRawSocket(api.url)));
    const sse = await sseSubscribe(api.url, 'subscription { callCompleted { partyId } }', KEY);
    expect(sse.status).toBe(200);
    await expect(openRawSocket(api.url)).rejects.toThrow(/upgrade refused: 429/);
    const refused = await sseSubscribe(api.url, 'subscription { callCompleted { partyId } }', KEY);
    refused.close();
    expect(refused.status).toBe(429);
    sse.close();
    for (const socket of sockets) socket.socket.close();
    const again = await waitFor(() => openRawSocket(api.url).catch(() => undefined), { what: 'a free stream slot' });
    again.socket.close();
  });
});
