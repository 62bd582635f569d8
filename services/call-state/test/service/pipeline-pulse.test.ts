// The pipeline pulse the built call-state writes as it applies events (the API's NO_EVENTS and EVENTS_LATE alerts read
// it), against the real Kafka and Redis: the latest receipt header, only ever raised, and this worker's largest delay
// behind the events' eventTime.
import { headers, type TelephonyNotification } from '@callpulse/contracts';
import { createKafka, createLogger, createRedis, Partitioners } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, redisUrl } from '../../../../test/support/env.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { BatchPulse } from '../../src/consumer/pipeline-pulse.js';
import { AGENT_EXTENSION, isolated, ivrCall } from './support.js';

const { name, topics, keys, env } = isolated('pulse');
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const redis = createRedis(redisUrl);
let service: ServiceProcess;

/** Produces the notifications with ingest's receipt header `receivedAt(notification)`. */
async function produce(notifications: TelephonyNotification[], receivedAt: (n: TelephonyNotification) => number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: topics.telephonySessions,
    acks: -1,
    messages: notifications.map((n) => ({
      key: n.body.telephonySessionId,
      value: JSON.stringify(n),
      headers: { [headers.receivedAt]: String(receivedAt(n)) },
    })),
  });
  await producer.disconnect();
}

beforeAll(async () => {
  await redis.sadd(keys.monitoredExtensions, AGENT_EXTENSION);
  const port = await freePort();
  service = startServiceProcess('call-state', { CALL_STATE_PORT: String(port), ...env, CALL_STATE_GRACE_MS: '300' });
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
});

afterAll(async () => {
  expect(await service.stop()).toBe(0);
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

describe('pipeline pulse', () => {
  it('notes the latest receipt and the largest delay of what it noted, and starts again when taken', () => {
    const pulse = new BatchPulse();
    pulse.note('1000', [], 5000);
    pulse.note('900', [4000, 2500], 5000);
    pulse.note(undefined, [4900], 5000);
    expect(pulse).toMatchObject({ lastReceivedAtMs: 1000, maxLagMs: 2500 });
    const beat = pulse.take();
    expect(beat).toMatchObject({ lastReceivedAtMs: 1000, maxLagMs: 2500 });
    expect(pulse.empty).toBe(true);
  });

  it('writes the latest receipt (never lowered) and each worker lag as the events are applied', async () => {
    const first = ivrCall();
    const eventTimes = first.notifications.map((n) => Date.parse(n.body.eventTime));
    const latestEvent = Math.max(...eventTimes);
    const receivedAt = (n: TelephonyNotification) => Date.parse(n.body.eventTime) + 1500;
    const before = Date.now();
    await produce(first.notifications, receivedAt);
    const pulse = await waitFor(
      async () => {
        const fields = await redis.hgetall(keys.pipelinePulse);
        return Number(fields.lastEventAtMs) === latestEvent + 1500 ? fields : undefined;
      },
      { what: 'the pulse of the applied events' },
    );
    const lagFields = Object.keys(pulse).filter((field) => field.startsWith('lag:'));
    expect(lagFields).toHaveLength(1);
    const lag = JSON.parse(pulse[lagFields[0] ?? ''] ?? '{}') as { lagMs: number; atMs: number };
    // The fixture's events happened long ago: the delay is from the oldest of them to when they were applied.
    expect(lag.atMs).toBeGreaterThanOrEqual(before);
    expect(lag.atMs).toBeLessThanOrEqual(Date.now());
    expect(lag.lagMs).toBeGreaterThanOrEqual(before - Math.min(...eventTimes));
    expect(lag.lagMs).toBeLessThanOrEqual(Date.now() - Math.min(...eventTimes));

    // An older receipt applied later (a replay, a slow partition) does not move the latest receipt back.
    const second = ivrCall();
    await produce(second.notifications, (n) => Date.parse(n.body.eventTime) - 60_000);
    await waitFor(async () => (await redis.exists(keys.sessionEvents(second.telephonySessionId))) === 1, {
      what: 'the second call applied',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(Number(await redis.hget(keys.pipelinePulse, 'lastEventAtMs'))).toBe(latestEvent + 1500);
  });
});
