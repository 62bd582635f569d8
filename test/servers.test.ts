// The real servers of the local stack answer: a keyed message through Kafka, Redis read/write, a ClickHouse table.

import { createKafka, createLogger, createRedis, ensureTopics } from '@callpulse/platform';
import { createClient } from '@clickhouse/client';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, kafkaBrokers, redisUrl, uniqueName } from './support/env.js';

const logger = createLogger('test', 'silent');

describe('the local stack servers', () => {
  it('carries a keyed message through Kafka to a consumer, on the partition of its key', async () => {
    const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger });
    const topic = uniqueName('servers');
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [record] = await producer.send({ topic, acks: -1, messages: [{ key: 's-abc', value: 'hello' }] });
    const consumer = kafka.consumer({ groupId: uniqueName('group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string; partition: number }>((resolve) => {
      consumer.run({
        eachMessage: async ({ message, partition }) => resolve({ key: String(message.key), value: String(message.value), partition }),
      });
    });
    await consumer.disconnect();
    await producer.disconnect();
    expect(received).toEqual({ key: 's-abc', value: 'hello', partition: record?.partition });
  });

  it('writes and reads Redis', async () => {
    const redis = createRedis(redisUrl);
    const key = uniqueName('servers');
    await redis.hset(key, { party: 'p-1', status: 'Answered' });
    expect(await redis.hgetall(key)).toEqual({ party: 'p-1', status: 'Answered' });
    await redis.del(key);
    redis.disconnect();
  });

  describe('ClickHouse', () => {
    const database = uniqueName('servers');
    const clickhouse = createClient({ url: clickhouseUrl });
    afterAll(async () => {
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await clickhouse.close();
    });

    it('creates a table, inserts and selects', async () => {
      await clickhouse.command({ query: `CREATE DATABASE ${database}` });
      await clickhouse.command({
        query: `CREATE TABLE ${database}.legs (id String, talk_ms UInt64) ENGINE = MergeTree ORDER BY id`,
      });
      await clickhouse.insert({
        table: `${database}.legs`,
        values: [
          { id: 'a', talk_ms: 1200 },
          { id: 'b', talk_ms: 800 },
        ],
        format: 'JSONEachRow',
      });
      const result = await clickhouse.query({ query: `SELECT sum(talk_ms) AS total FROM ${database}.legs`, format: 'JSONEachRow' });
      expect(await result.json()).toEqual([{ total: '2000' }]);
    });
  });
});
