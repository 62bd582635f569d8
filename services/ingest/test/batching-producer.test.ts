// The batching producer against the real Kafka: one send in flight per idempotent producer (@platformatic/kafka
// underneath), every key on the partition kafkajs gave it with its headers, and no acknowledged message lost when the
// network loses a Produce response (the broker appended the batch, the client never heard).
import { createKafka, createLogger, Partitioners } from '@callpulse/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { countMessages, readTopic } from '../../../test/support/kafka-reader.js';
import { BatchingProducer } from '../src/kafka/batching-producer.js';
import { producerProbe } from './support/producer-probe.js';
import { type ResponseDropper, responseDropper } from './support/response-dropper.js';

const logger = createLogger('test', 'silent');
const topic = uniqueName('producer');
const wideTopic = uniqueName('producer-wide');
const WIDE_PARTITIONS = 12;
const plainKafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger });
const connection = { clientId: 'test', brokers: kafkaBrokers };
const closers: Array<() => void> = [];

beforeAll(async () => {
  const admin = plainKafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 2 },
      { topic: wideTopic, numPartitions: WIDE_PARTITIONS },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
});

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

afterAll(async () => {
  const admin = plainKafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, wideTopic] }).catch(() => undefined);
  await admin.disconnect();
});

function probe() {
  const watching = producerProbe();
  closers.push(watching.close);
  return watching.stats;
}

function dropper(): ResponseDropper {
  const dropping = responseDropper();
  closers.push(dropping.close);
  return dropping;
}

describe('BatchingProducer', () => {
  it('keeps at most one send in flight per producer, batching the requests that queue up behind it', async () => {
    const stats = probe();
    const producer = new BatchingProducer(connection, { lingerMs: 0, maxBatchMessages: 10, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const sends = Array.from({ length: 200 }, (_, i) => producer.send(topic, { key: `session-${i % 7}`, value: `in-flight-${i}` }));
    await Promise.all(sends);
    await producer.close();
    expect(stats.maxInFlight).toBe(1);
    expect(stats.sends).toBeGreaterThan(1);
    expect(stats.sends).toBeLessThanOrEqual(200 / 10 + 1);
  });

  it("puts every key on kafkajs DefaultPartitioner's partition, with its headers, acknowledged only once Kafka holds it", async () => {
    const producer = new BatchingProducer(connection, { lingerMs: 2, maxBatchMessages: 100, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const keys = Array.from({ length: 600 }, (_, i) => (i % 3 ? `s-${crypto.randomUUID()}` : `session-é→${i}`));
    await Promise.all(
      keys.map((key, i) => producer.send(wideTopic, { key, value: `value-${i}`, headers: { 'x-index': String(i), 'x-key': key } })),
    );
    // Acknowledged: all of them are in the topic already (a reader starting now finds them).
    expect(await countMessages(plainKafka, wideTopic)).toBe(keys.length);
    await producer.close();
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: WIDE_PARTITIONS }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));
    const messages = await readTopic(plainKafka, wideTopic, keys.length);
    expect(messages).toHaveLength(keys.length);
    for (const message of messages) {
      const i = Number(message.headers['x-index']);
      expect(message.key).toBe(keys[i]);
      expect(message.headers['x-key']).toBe(keys[i]);
      expect(String(message.value)).toBe(`value-${i}`);
      expect(message.partition).toBe(partitioner({ topic: wideTopic, partitionMetadata, message: { key: keys[i], value: null } }));
    }
    expect(new Set(messages.map((message) => message.partition)).size).toBe(WIDE_PARTITIONS);
  });

  it('splits sends by size, so large messages that arrive together never exceed the request size Kafka takes', async () => {
    const stats = probe();
    const producer = new BatchingProducer(connection, { lingerMs: 5, maxBatchMessages: 500, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const big = Buffer.alloc(250 * 1024, 'x');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => producer.send(topic, { key: 'one-partition', value: big })));
    await producer.close();
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(stats.sends).toBeGreaterThanOrEqual(2);
  });

  it('loses no acknowledged message when Produce responses are lost under concurrent sends', async () => {
    const network = dropper();
    const producer = new BatchingProducer(connection, { lingerMs: 0, maxBatchMessages: 5, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const before = await countMessages(plainKafka, topic);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    await producer.send(topic, { key: 'warm-up', value: 'warm-up' });
    acknowledged.push('warm-up');
    for (let round = 0; round < 6; round++) {
      network.dropNextProduceResponses(1);
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const value = `round-${round}-message-${i}`;
          return producer.send(topic, { key: 'one-session', value }).then(
            () => acknowledged.push(value),
            () => refused.push(value),
          );
        }),
      );
    }
    await producer.close();
    expect(network.dropped).toBeGreaterThan(0);
    const total = (await countMessages(plainKafka, topic)) - before;
    const messages = await readTopic(plainKafka, topic, before + total);
    const present = new Set(messages.map((m) => String(m.value)));
    expect(acknowledged.filter((value) => !present.has(value))).toEqual([]);
    // Per key, what Kafka holds is in the order it was sent (duplicates of refused sends aside).
    const order = messages.filter((m) => m.key === 'one-session').map((m) => String(m.value));
    const firstSeen = [...new Set(order)];
    const sorted = [...firstSeen].sort((a, b) => rank(a) - rank(b));
    expect(firstSeen).toEqual(sorted);
  });

  it('fails a send that cannot get through together with everything queued behind it, in order, then starts a new producer', async () => {
    const network = dropper();
    const producer = new BatchingProducer(connection, { lingerMs: 0, maxBatchMessages: 5, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const before = await countMessages(plainKafka, topic);
    network.dropNextProduceResponses(3); // more than the client's retries of one send (the producer retries twice)
    const acknowledged: string[] = [];
    const refused: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const value = `failing-${i}`;
        return producer.send(topic, { key: 'failing-session', value }).then(
          () => acknowledged.push(value),
          () => refused.push(value),
        );
      }),
    );
    expect(acknowledged).toEqual([]);
    expect(refused).toEqual(Array.from({ length: 20 }, (_, i) => `failing-${i}`));
    expect(producer.healthy).toBe(false);
    expect(producer.producerReplacements).toBe(1);
    expect(network.dropped).toBe(3);

    // The new producer (new producer id) sends normally; the broker may hold the failed batch too (it appended it).
    await Promise.all(Array.from({ length: 20 }, (_, i) => producer.send(topic, { key: 'failing-session', value: `after-${i}` })));
    expect(producer.healthy).toBe(true);
    await producer.close();
    const total = (await countMessages(plainKafka, topic)) - before;
    const values = (await readTopic(plainKafka, topic, before + total)).map((m) => String(m.value));
    for (let i = 0; i < 20; i++) expect(values).toContain(`after-${i}`);
  });
});

function rank(value: string): number {
  const [, round, message] = /round-(\d+)-message-(\d+)/.exec(value) ?? [];
  return Number(round) * 1000 + Number(message);
}
