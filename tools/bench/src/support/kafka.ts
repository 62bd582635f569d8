// Kafka for the bench: one client, topic and group clean-up by prefix, and consumer lag from committed offsets.
import { type Admin, createKafka, createLogger, type Kafka } from '@callpulse/platform';
import { servers } from './env.js';

const logger = createLogger('bench', process.env.BENCH_LOG_LEVEL ?? 'warn');

export function benchKafka(): Kafka {
  return createKafka({ clientId: 'callpulse-bench', brokers: servers.kafkaBrokers, logger, requestTimeout: 30000 });
}

export async function withAdmin<T>(kafka: Kafka, body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic and consumer group whose name starts with prefix (what one bench part created). */
export async function deleteByPrefix(kafka: Kafka, prefix: string): Promise<void> {
  if (prefix.length < 8) throw new Error(`refusing to delete Kafka topics by the short prefix "${prefix}"`);
  await withAdmin(kafka, async (admin) => {
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30000 });
  });
}

/** Sum over partitions of the high watermark (the end of the topic). */
export async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, { high }) => sum + Number(high), 0);
}

/** Sum over partitions of the group's committed offsets (a partition without a commit counts as its low watermark). */
export async function committedOffset(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const low = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, low: l }) => [partition, Number(l)]));
  return (committed?.partitions ?? []).reduce((sum, { partition, offset }) => {
    const value = Number(offset);
    return sum + (value >= 0 ? value : (low.get(partition) ?? 0));
  }, 0);
}

/** Messages of topic the group has not committed yet. */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [end, committed] = await Promise.all([endOffset(admin, topic), committedOffset(admin, groupId, topic)]);
  return Math.max(0, end - committed);
}
