// The batching producer against the real Kafka: one send in flight per idempotent producer (platform's
// IdempotentProducer underneath), and no acknowledged message lost when the network loses a Produce response (the
// broker appended the batch, the client never heard).
import { createKafka, createLogger, type Kafka, type Producer } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { countMessages, readTopic } from '../../../test/support/kafka-reader.js';
import { BatchingProducer } from '../src/kafka/batching-producer.js';
import { responseDropper } from './support/response-dropper.js';

const logger = createLogger('test', 'silent');
const topic = uniqueName('producer');
const plainKafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger });

beforeAll(async () => {
  const admin = plainKafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
});

afterAll(async () => {
  const admin = plainKafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

/** kafka.producer() of the real client, with every sendBatch counted while it runs. */
function countingKafka(kafka: Kafka) {
  const stats = { inFlight: 0, maxInFlight: 0, sends: 0, producers: 0 };
  const wrapped = {
    producer: (config: Parameters<Kafka['producer']>[0]): Producer => {
      stats.producers++;
      const producer = kafka.producer(config);
      const sendBatch = producer.sendBatch.bind(producer);
      producer.sendBatch = async (batch) => {
        stats.sends++;
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        try {
          return await sendBatch(batch);
        } finally {
          stats.inFlight--;
        }
      };
      return producer;
    },
  } as unknown as Kafka;
  return { kafka: wrapped, stats };
}

describe('BatchingProducer', () => {
  it('keeps at most one send in flight per producer, batching the requests that queue up behind it', async () => {
    const { kafka, stats } = countingKafka(plainKafka);
    const producer = new BatchingProducer(kafka, { lingerMs: 0, maxBatchMessages: 10, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const sends = Array.from({ length: 200 }, (_, i) => producer.send(topic, { key: `session-${i % 7}`, value: `in-flight-${i}` }));
    await Promise.all(sends);
    await producer.close();
    expect(stats.maxInFlight).toBe(1);
    expect(stats.sends).toBeGreaterThan(1);
    expect(stats.sends).toBeLessThanOrEqual(200 / 10 + 1);
  });

  it('splits sends by size, so large messages that arrive together never exceed the request size Kafka takes', async () => {
    const { kafka, stats } = countingKafka(plainKafka);
    const producer = new BatchingProducer(kafka, { lingerMs: 5, maxBatchMessages: 500, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const big = Buffer.alloc(250 * 1024, 'x');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => producer.send(topic, { key: 'one-partition', value: big })));
    await producer.close();
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(stats.sends).toBeGreaterThanOrEqual(2);
  });

  it('loses no acknowledged message when Produce responses are lost under concurrent sends', async () => {
    const dropper = responseDropper();
    const kafka = createKafka({
      clientId: 'test-dropper',
      brokers: kafkaBrokers,
      logger,
      socketFactory: dropper.socketFactory,
      retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 },
    });
    const producer = new BatchingProducer(kafka, { lingerMs: 0, maxBatchMessages: 5, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const before = await countMessages(plainKafka, topic);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    await producer.send(topic, { key: 'warm-up', value: 'warm-up' });
    acknowledged.push('warm-up');
    for (let round = 0; round < 6; round++) {
      dropper.dropNextProduceResponses(1);
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
    expect(dropper.dropped).toBeGreaterThan(0);
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
    const dropper = responseDropper();
    const kafka = createKafka({
      clientId: 'test-dropper',
      brokers: kafkaBrokers,
      logger,
      socketFactory: dropper.socketFactory,
      retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 },
    });
    const producer = new BatchingProducer(kafka, { lingerMs: 0, maxBatchMessages: 5, sendTimeoutMs: 10000, logger });
    await producer.connect();
    const before = await countMessages(plainKafka, topic);
    dropper.dropNextProduceResponses(3); // more than kafkajs' retries of one send (the producer retries twice)
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
