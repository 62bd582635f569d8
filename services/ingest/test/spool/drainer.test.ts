// The drainer against the real Kafka: the spool goes to Kafka in order, the checkpoint moves only past what Kafka
// acknowledged (an unreachable Kafka leaves everything in the spool), and records spooled under another topic
// prefix go to this instance's topic of the same role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames } from '@callpulse/contracts';
import { createKafka, createLogger, ensureTopics } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../../test/support/env.js';
import { readTopic } from '../../../../test/support/kafka-reader.js';
import { waitFor } from '../../../../test/support/wait.js';
import { BatchingProducer } from '../../src/kafka/batching-producer.js';
import { spooledTopicMapper, startDrainer } from '../../src/spool/drainer.js';
import { Spool } from '../../src/spool/spool.js';

const logger = createLogger('test', 'silent');
const prefix = `${uniqueName('drain')}.`;
const topics = topicNames(prefix);
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger });
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'callpulse-drainer-'));
  dirs.push(dir);
  return dir;
};
const record = (topic: string, key: string, i: number) => ({
  topic,
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify({ i })),
  headers: { i: String(i) },
});

beforeAll(async () => {
  await ensureTopics(kafka, [
    { topic: topics.telephonySessions, numPartitions: 3 },
    { topic: topics.ingestDeadLetter, numPartitions: 1 },
  ]);
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topics.telephonySessions, topics.ingestDeadLetter] }).catch(() => undefined);
  await admin.disconnect();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('sends the spool to Kafka in order, empties it, maps records of an old topic prefix to this one, drops retired topics', async () => {
  const spool = await Spool.open({ dir: freshDir(), maxBytes: 64 * 1024 * 1024, segmentBytes: 8 * 1024, logger });
  const old = topicNames('t_some_old_prefix.');
  for (let i = 0; i < 300; i++) await spool.append(record(i % 2 ? topics.telephonySessions : old.telephonySessions, `s-${i % 5}`, i));
  await spool.append(record(old.ingestDeadLetter, 'dead', 300));
  const retired = `${uniqueName('retired')}.callpulse.rc-events`; // what an older ingest spooled for a topic now gone
  await spool.append(record(retired, 'extension-list', 301));
  const producer = new BatchingProducer(
    { clientId: 'test', brokers: kafkaBrokers },
    { lingerMs: 2, maxBatchMessages: 50, sendTimeoutMs: 10000, logger },
  );
  const drainer = startDrainer({
    spool,
    target: producer,
    logger,
    batchRecords: 120,
    sendTimeoutMs: 10000,
    kafkaReady: producer.connect(),
    topicFor: spooledTopicMapper(topics, logger),
  });
  await waitFor(() => spool.backlog === 0, { what: 'the spool drained', timeoutMs: 30000 });
  await drainer.stop();
  await producer.close();
  await spool.close();

  const sessions = await readTopic(kafka, topics.telephonySessions, 300);
  const byKey = new Map<string, number[]>();
  for (const message of sessions) byKey.set(message.key ?? '', [...(byKey.get(message.key ?? '') ?? []), Number(message.headers.i)]);
  expect([...byKey.values()].flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  for (const order of byKey.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
  expect((await readTopic(kafka, topics.ingestDeadLetter, 1)).map((m) => m.headers.i)).toEqual(['300']);
  const admin = kafka.admin();
  await admin.connect();
  try {
    expect(await admin.listTopics()).not.toContain(retired); // dropped, not sent (Kafka would have created the topic)
  } finally {
    await admin.disconnect();
  }
});

it('keeps every record while Kafka cannot be reached, and reports why', async () => {
  const dir = freshDir();
  const spool = await Spool.open({ dir, maxBytes: 64 * 1024 * 1024, logger });
  for (let i = 0; i < 20; i++) await spool.append(record(topics.telephonySessions, 's-x', i));
  const nowhere = { clientId: 'test', brokers: ['127.0.0.1:1'], connectTimeoutMs: 200 };
  const producer = new BatchingProducer(nowhere, { lingerMs: 2, maxBatchMessages: 50, sendTimeoutMs: 1000, logger });
  const drainer = startDrainer({
    spool,
    target: producer,
    logger,
    batchRecords: 10,
    sendTimeoutMs: 1000,
    kafkaReady: Promise.resolve(),
    minBackoffMs: 50,
  });
  await waitFor(() => drainer.failing !== undefined, { what: 'the drain to fail' });
  expect(spool.backlog).toBe(20);
  await drainer.stop();
  await producer.close();
  await spool.close();
  const reopened = await Spool.open({ dir, maxBytes: 64 * 1024 * 1024, logger });
  expect(reopened.backlog).toBe(20);
  await reopened.close();
});
