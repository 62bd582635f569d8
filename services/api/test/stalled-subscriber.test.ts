// A subscriber that stops reading its socket must cost the API one subscription, never the process: thousands of
// live messages are published on the Redis channel while one graphql-ws client has paused its TCP socket; the API stays
// up, a healthy client receives every message, the stalled subscription is dropped (counted in a metric) and the
// stalled client, once it reads again, finds a clear error for it.
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { redisChannels } from '@callpulse/contracts';
import { createClickHouseClient, createRedis, escapeIdentifier } from '@callpulse/platform';
import { liveLeg } from '@callpulse/testkit/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { type Json, metricValue, wsClient, wsSubscribe } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { openRawSocket } from './support/raw-ws.js';

const iso = isolation(uniqueName('api_stall'));
const channels = redisChannels(iso.env.REDIS_KEY_PREFIX);
const KEY = 'stall-viewer-key';
const EXTENSION = '61001';
const MESSAGES = 4000;
const redis = createRedis(redisUrl);
let api: Started;

// Large messages fill the kernel's socket buffers of the stalled client quickly (a few MB on loopback).
const bigName = 'N'.repeat(4000);
const snapshot = (i: number): LiveLegSnapshot =>
  liveLeg({
    telephonySessionId: `s-stall-${i}`,
    partyId: `p-${i}`,
    extensionId: EXTENSION,
    accountId: 'acc-1',
    statusSinceMs: Date.now(),
    from: { phoneNumber: '+15550100001', name: bigName, extensionId: null },
    to: { phoneNumber: '+15550100002', name: bigName, extensionId: EXTENSION },
    startMs: Date.now(),
    ringStartMs: Date.now(),
    lastSequence: i,
    updatedAtMs: Date.now(),
  });

const fields = 'telephonySessionId partyId extensionId status from { name phoneNumber } to { name phoneNumber }';

beforeAll(async () => {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(iso.name)}` });
  await clickhouse.close();
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}` });
});

afterAll(async () => {
  if (api) await api.process.stop();
  redis.disconnect();
  await cleanUp(iso);
});

describe('a stalled subscriber', () => {
  it('is dropped with a clear error while the process stays up and other clients keep receiving', async () => {
    const healthy = wsClient(api.url, KEY);
    const healthySubscription = wsSubscribe(healthy, `subscription { activeCallChanged(extensionIds: ["${EXTENSION}"]) { ${fields} } }`);
    const stalled = await openRawSocket(api.url);
    await stalled.init({ authorization: `Bearer ${KEY}` });
    stalled.subscribe('s1', `subscription { activeCallChanged { ${fields} } }`);
    await waitFor(async () => (await metricValue(api.url, 'callpulse_api_active_subscriptions', 'field="activeCallChanged"')) === 2, {
      what: 'both subscriptions registered',
    });
    stalled.stall();

    for (let i = 0; i < MESSAGES; i += 200) {
      const pipeline = redis.pipeline();
      for (let j = i; j < Math.min(i + 200, MESSAGES); j++) pipeline.publish(channels.legChanged(EXTENSION), JSON.stringify(snapshot(j)));
      await pipeline.exec();
    }

    await waitFor(() => healthySubscription.received.length === MESSAGES || api.process.child.exitCode !== null, {
      timeoutMs: 60000,
      what: () => `every message at the healthy client (${healthySubscription.received.length} of ${MESSAGES})`,
    });
    expect(api.process.child.exitCode, api.process.output().slice(-3000)).toBeNull();
    expect(healthySubscription.received.length).toBe(MESSAGES);
    expect((healthySubscription.received.at(-1) as Json).activeCallChanged.telephonySessionId).toBe(`s-stall-${MESSAGES - 1}`);
    expect(healthySubscription.errors).toEqual([]);
    expect(await metricValue(api.url, 'callpulse_api_dropped_subscribers_total', 'field="activeCallChanged"')).toBe(1);
    expect(await metricValue(api.url, 'callpulse_api_active_subscriptions', 'field="activeCallChanged"')).toBe(1);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);

    // Reading again, the stalled client gets what was already on its way, then the error and the end of the subscription.
    stalled.resume();
    const error = await waitFor(() => stalled.messages.find((message) => message.id === 's1' && message.payload?.errors), {
      timeoutMs: 30000,
      what: 'the error of the dropped subscription',
    });
    expect(error.payload.errors[0].extensions.code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(error.payload.errors[0].message).toMatch(/fell more than \d+ messages behind/);
    await waitFor(() => stalled.messages.some((message) => message.id === 's1' && message.type === 'complete'), {
      what: 'the end of the dropped subscription',
    });
    stalled.socket.close();
    healthySubscription.close();
    await healthy.dispose();
  });
});
