// Kafka goes away under the ingest service: webhooks get a quick 503 with Retry-After, and once Kafka is back
// the service recovers by itself; every notification that got a 200 is in Kafka.
import { createKafka, createLogger, topicNames } from '@callpulse/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTopic } from '../../../test/support/kafka-reader.js';
import { sampleNotification } from '../../../test/support/notifications.js';
import { type PrivateStack, privateStack } from '../../../test/support/private-stack.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';

let stack: PrivateStack;
let ingest: ServiceProcess;
let url: string;
const topics = topicNames('');

const post = (notification: object) =>
  fetch(`${url}/webhooks/ringcentral`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notification),
  });

beforeAll(async () => {
  stack = await privateStack(['kafka']);
  await stack.up();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  ingest = startServiceProcess('ingest', { INGEST_PORT: String(port), INGEST_HOST: '127.0.0.1', KAFKA_BROKERS: stack.kafkaBrokers });
  await waitForHttpOk(`${url}/readyz`);
});

afterAll(async () => {
  await ingest?.stop();
  await stack?.destroy();
});

it('answers 503 with Retry-After while Kafka is down, recovers by itself, and loses nothing it acknowledged', async () => {
  const acknowledged: string[] = [];
  for (let i = 0; i < 10; i++) {
    const notification = sampleNotification({ sequence: i + 1 });
    expect((await post(notification)).status).toBe(200);
    acknowledged.push(notification.uuid);
  }

  await stack.down();
  const refused = await waitFor(
    async () => {
      const response = await post(sampleNotification());
      if (response.status === 200) acknowledged.push('unexpected-200-while-down');
      return response.status === 503 ? response : undefined;
    },
    { what: 'a 503 while Kafka is down', timeoutMs: 30000 },
  );
  expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  expect((await fetch(`${url}/readyz`)).status).toBe(503);
  // While down, answers come back quickly instead of parking the request (bounded by the produce timeout).
  const started = Date.now();
  const whileDown = await post(sampleNotification());
  expect(whileDown.status).toBe(503);
  expect(Date.now() - started).toBeLessThan(10000);

  await stack.up();
  await waitForHttpOk(`${url}/readyz`, 60000);
  for (let i = 0; i < 10; i++) {
    const notification = sampleNotification({ sequence: 100 + i });
    const response = await waitFor(
      async () => {
        const r = await post(notification);
        return r.status === 200 ? r : undefined;
      },
      { what: 'a 200 after Kafka is back', timeoutMs: 30000 },
    );
    expect(response.status).toBe(200);
    acknowledged.push(notification.uuid);
  }

  const kafka = createKafka({ clientId: 'test', brokers: [stack.kafkaBrokers], logger: createLogger('test', 'silent') });
  const messages = await readTopic(kafka, topics.telephonySessions, acknowledged.length);
  const produced = new Set(messages.map((m) => JSON.parse(String(m.value)).uuid));
  expect(acknowledged.filter((uuid) => !produced.has(uuid))).toEqual([]);
});
