// The built services as child processes with the test's own topic prefix, Redis key prefix and ClickHouse database,
// and the clean-up of everything they created.
import { type CompletedRecord, topicNames } from '@callpulse/contracts';
import { createClickHouseClient, createKafka, createLogger, createRedis, escapeIdentifier, Partitioners } from '@callpulse/platform';
import { clickhouseUrl, kafkaBrokers, redisUrl } from '../../../../test/support/env.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';

export interface Isolation {
  name: string;
  env: Record<string, string>;
}

/** Prefixes and database named after `name` (from uniqueName). */
export function isolation(name: string): Isolation {
  return {
    name,
    env: {
      KAFKA_BROKERS: kafkaBrokers.join(','),
      REDIS_URL: redisUrl,
      CLICKHOUSE_URL: clickhouseUrl,
      KAFKA_TOPIC_PREFIX: `${name}.`,
      KAFKA_TOPIC_PARTITIONS: '3',
      REDIS_KEY_PREFIX: `${name}:`,
      CLICKHOUSE_DATABASE: name,
    },
  };
}

export interface Started {
  process: ServiceProcess;
  url: string;
  port: number;
}

/** Starts services/<service>/dist/main.js on a free port and waits until /readyz answers 200. */
export async function startService(
  service: 'api' | 'ingest' | 'call-state' | 'reporting',
  iso: Isolation,
  env: Record<string, string> = {},
): Promise<Started> {
  const port = await freePort();
  const portVariable = { api: 'API_PORT', ingest: 'INGEST_PORT', 'call-state': 'CALL_STATE_PORT', reporting: 'REPORTING_PORT' }[service];
  const extra: Record<string, string> =
    service === 'reporting'
      ? { REPORTING_GROUP_ID: `${iso.name}-reporting`, REPORTING_FLUSH_INTERVAL_MS: '100' }
      : service === 'call-state'
        ? { CALL_STATE_GROUP_ID: `${iso.name}-call-state`, CALL_STATE_GRACE_MS: '300', CALL_STATE_EMIT_INTERVAL_MS: '100' }
        : service === 'ingest'
          ? { INGEST_HOST: '127.0.0.1' }
          : {};
  const process = startServiceProcess(service, { ...iso.env, ...extra, [portVariable]: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(`${url}/readyz`, 60000);
  } catch (err) {
    await process.stop();
    throw new Error(`${service} did not become ready: ${(err as Error).message}\n${process.output()}`);
  }
  return { process, url, port };
}

export async function produceRecords(iso: Isolation, records: CompletedRecord[]): Promise<void> {
  const kafka = createKafka({ clientId: 'api-test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic: topicNames(iso.env.KAFKA_TOPIC_PREFIX).completedCalls,
      acks: -1,
      messages: records.map((record) => ({ key: record.telephonySessionId, value: JSON.stringify(record) })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Drops the database, deletes the topics and groups with the prefix, and the Redis keys with the prefix. */
export async function cleanUp(iso: Isolation): Promise<void> {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(iso.name)}` }).catch(() => undefined);
  await clickhouse.close();
  const admin = createKafka({ clientId: 'api-test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(iso.env.KAFKA_TOPIC_PREFIX ?? '\0'));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.deleteGroups([`${iso.name}-reporting`, `${iso.name}-call-state`]).catch(() => undefined);
  await admin.disconnect();
  const redis = createRedis(redisUrl);
  const stale = await redis.keys(`${iso.name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
}
