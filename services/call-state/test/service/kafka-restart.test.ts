// Kafka restarts under a running worker (the fault that once made a worker exit with "Failed to find group
// coordinator"): the process stays up, says it is not ready while it cannot consume, and goes on once Kafka is back.
import { createKafka, createLogger, createRedis } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { type PrivateStack, privateStack } from '../../../../test/support/private-stack.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { AGENT_EXTENSION, isolated, ivrCall, produceNotifications } from './support.js';

const { name, keys, topics, env } = isolated('kafkarestart');
const redis = createRedis(redisUrl);
let stack: PrivateStack;
let worker: ServiceProcess;
let port: number;

beforeAll(async () => {
  stack = await privateStack(['kafka']);
  await stack.up();
  await redis.sadd(keys.monitoredExtensions, AGENT_EXTENSION);
  port = await freePort();
  worker = startServiceProcess('call-state', {
    CALL_STATE_PORT: String(port),
    KAFKA_BROKERS: stack.kafkaBrokers,
    ...env,
    CALL_STATE_SESSION_TIMEOUT_MS: '6000',
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
}, 180000);

afterAll(async () => {
  await worker?.stop('SIGKILL');
  await stack?.destroy();
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

async function applied(kafka: ReturnType<typeof createKafka>) {
  const call = ivrCall();
  await produceNotifications(kafka, topics.telephonySessions, call.notifications);
  await waitFor(async () => (await redis.hlen(keys.sessionEvents(call.telephonySessionId))) === call.notifications.length, {
    what: 'the call applied in Redis',
    timeoutMs: 90000,
  });
}

it('stays up through a Kafka restart and consumes again afterwards', { timeout: 300000 }, async () => {
  const logger = createLogger('test', 'silent');
  await applied(createKafka({ clientId: 'test', brokers: [stack.kafkaBrokers], logger }));

  await stack.down();
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503, {
    what: '/readyz to say the worker cannot consume',
    timeoutMs: 60000,
  });
  await new Promise((resolve) => setTimeout(resolve, 15000)); // long enough for kafkajs to give up on its coordinator
  expect(worker.child.exitCode).toBeNull();

  await stack.up();
  await applied(createKafka({ clientId: 'test-after', brokers: [stack.kafkaBrokers], logger }));
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
  expect(worker.child.exitCode).toBeNull();
  expect(worker.output()).not.toMatch(/"level":60/); // nothing fatal was logged
});
