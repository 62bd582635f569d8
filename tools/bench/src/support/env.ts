// Where the servers are (the local stack's defaults unless overridden like the services), the repo root, and the
// bench's own names for what it creates.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../../..');

export const servers = {
  kafkaBrokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  clickhouseUrl: process.env.CLICKHOUSE_URL || 'http://127.0.0.1:8123',
  clickhouseUser: process.env.CLICKHOUSE_USER || 'default',
  clickhousePassword: process.env.CLICKHOUSE_PASSWORD ?? '',
};

/** The env every service child gets: the same servers as the bench. */
export function serverEnv(): Record<string, string> {
  return {
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    REDIS_URL: servers.redisUrl,
    CLICKHOUSE_URL: servers.clickhouseUrl,
    CLICKHOUSE_USER: servers.clickhouseUser,
    CLICKHOUSE_PASSWORD: servers.clickhousePassword,
  };
}

/** A name unique to this bench run: usable as a Kafka topic prefix, a Redis key prefix and a ClickHouse database. */
export function benchName(label: string): string {
  return `bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
