// Addresses of the real servers the tests use: the local stack's defaults unless overridden like the services.
import { randomBytes } from 'node:crypto';

export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const clickhouseUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

/** A name unique to this test run, for topic prefixes, Redis key prefixes and ClickHouse databases. */
export function uniqueName(label: string): string {
  return `t_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
