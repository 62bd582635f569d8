// Test plumbing: an isolated config (own topic prefix, group and database), producing records, waiting for
// commits, reading topics, and cleaning up.
import { type CompletedRecord, topicNames } from '@callpulse/contracts';
import {
  createClickHouseClient,
  createKafka,
  createLogger,
  escapeIdentifier,
  type IHeaders,
  type Kafka,
  parseConfig,
} from '@callpulse/platform';
import { clickhouseUrl, kafkaBrokers, uniqueName } from '../../../../test/support/env.js';
import { waitFor } from '../../../../test/support/wait.js';
import { type ReportingConfig, reportingEnv } from '../../src/config.js';

export const silent = createLogger('test', 'silent');

export function testConfig(label: string, env: Record<string, string> = {}): ReportingConfig {
  return parseConfig(reportingEnv, {
    KAFKA_BROKERS: kafkaBrokers.join(','),
    CLICKHOUSE_URL: clickhouseUrl,
    KAFKA_TOPIC_PREFIX: `${uniqueName(label)}.`,
    CLICKHOUSE_DATABASE: uniqueName(label),
    REPORTING_GROUP_ID: uniqueName(`${label}_group`),
    REPORTING_FLUSH_INTERVAL_MS: '100',
    KAFKA_TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'silent',
    REPORTING_PORT: '0', // in-process services listen where the system says
    ...env,
  });
}

export function testKafka(): Kafka {
  return createKafka({ clientId: 'reporting-test', brokers: kafkaBrokers, logger: silent });
}

export type RawMessage = { key: string; value: string; headers?: IHeaders };

export async function produce(kafka: Kafka, topic: string, messages: Array<CompletedRecord | RawMessage>): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((item) => ('kind' in item ? { key: item.telephonySessionId, value: JSON.stringify(item) } : item)),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Offsets of the group equal the end of every partition of the topic: all it consumed was written. */
export async function committedToEnd(kafka: Kafka, groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.every(({ partition, high }) => {
      const mine = committed?.partitions.find((p) => p.partition === partition);
      return high === '0' || mine?.offset === high;
    });
  } finally {
    await admin.disconnect();
  }
}

export async function waitCommittedToEnd(kafka: Kafka, groupId: string, topic: string, timeoutMs = 30000): Promise<void> {
  await waitFor(() => committedToEnd(kafka, groupId, topic), {
    timeoutMs,
    intervalMs: 200,
    what: `group ${groupId} committed to the end of ${topic}`,
  });
}

/** Reads `count` messages of a topic from the beginning. */
export async function readTopic(kafka: Kafka, topic: string, count: number) {
  const groupId = uniqueName('reporting_reader');
  const consumer = kafka.consumer({ groupId });
  const seen: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        seen.push({ key: String(message.key), value: String(message.value), headers });
      },
    });
    await waitFor(() => seen.length >= count, { timeoutMs: 30000, what: `${count} messages on ${topic}` });
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return seen;
}

/** Deletes the test's topics and consumer groups and drops its database. */
export async function cleanUp(config: ReportingConfig, groups: string[] = [config.REPORTING_GROUP_ID], url = config.CLICKHOUSE_URL) {
  const admin = testKafka().admin();
  await admin.connect();
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  const existing = new Set(await admin.listTopics());
  const mine = [topics.completedCalls, topics.reportingDeadLetter].filter((topic) => existing.has(topic));
  await admin.deleteGroups(groups).catch(() => undefined);
  if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  await admin.disconnect();
  const clickhouse = createClickHouseClient({ url, application: 'callpulse-test' });
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(config.CLICKHOUSE_DATABASE)}` }).catch(() => undefined);
  await clickhouse.close();
}
