// SIGTERM while webhooks are in flight on keep-alive connections: ingest answers them, exits 0 promptly (a busy
// keep-alive connection used to hold the shutdown for 30 s, then exit 1), and every acknowledged notification
// reaches Kafka (straight away, or from the spool at the next start).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames } from '@callpulse/contracts';
import { createKafka, createLogger } from '@callpulse/platform';
import { afterAll, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { countMessages, readTopic } from '../../../test/support/kafka-reader.js';
import { sampleNotification } from '../../../test/support/notifications.js';
import { freePort, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';

const prefix = `${uniqueName('shutdown')}.`;
const topics = topicNames(prefix);
const spoolDir = mkdtempSync(join(tmpdir(), 'callpulse-shutdown-spool-'));
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
  rmSync(spoolDir, { recursive: true, force: true });
});

it('answers what is in flight, exits 0 within seconds on SIGTERM, and loses no acknowledged notification', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { INGEST_PORT: String(port), KAFKA_TOPIC_PREFIX: prefix, INGEST_SPOOL_DIR: spoolDir };
  const ingest = startServiceProcess('ingest', env);
  await waitFor(async () => ((await (await fetch(`${url}/readyz`)).json()) as { kafka: string }).kafka === 'reachable', {
    what: 'Kafka reachable',
  });

  const acknowledged: string[] = [];
  let firstAnswer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => {
    firstAnswer = resolve;
  });
  const posts = Array.from({ length: 32 }, async () => {
    const notification = sampleNotification();
    try {
      const response = await fetch(`${url}/webhooks/ringcentral`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notification),
      });
      await response.arrayBuffer();
      if (response.status === 200) acknowledged.push(notification.uuid);
    } catch {
      // refused or reset once closing began: not acknowledged
    } finally {
      firstAnswer();
    }
  });
  await answered;
  const stoppedAt = Date.now();
  expect(await ingest.stop()).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(10000);
  await Promise.all(posts);
  expect(acknowledged.length).toBeGreaterThan(0);

  // Whatever was left in the spool goes to Kafka at the next start.
  const restarted = startServiceProcess('ingest', env);
  try {
    await waitForHttpOk(`${url}/readyz`);
    await waitFor(async () => ((await (await fetch(`${url}/readyz`)).json()) as { spool: { records: number } }).spool.records === 0, {
      what: 'the spool drained',
    });
    const messages = await readTopic(kafka, topics.telephonySessions, await countMessages(kafka, topics.telephonySessions));
    const present = new Set(messages.map((m) => JSON.parse(String(m.value)).uuid as string));
    expect(acknowledged.filter((uuid) => !present.has(uuid))).toEqual([]);
  } finally {
    expect(await restarted.stop()).toBe(0);
  }
});
