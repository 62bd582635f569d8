// The Kafka client and topic creation. Services and tools reach kafkajs only through platform (test/boundaries.test.ts):
// the types they need are re-exported here.
import { type Admin, type ISocketFactory, Kafka, type KafkaConfig, logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../logger.js';

export type {
  Admin,
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  IHeaders,
  ISocketFactory,
  Kafka,
  KafkaMessage,
  Message,
  Producer,
  ProducerRecord,
  TopicMessages,
} from 'kafkajs';
export { CompressionTypes, Partitioners } from 'kafkajs';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      logger[levels[level] ?? 'info']({ kafka: extra }, message);
    };
}

export function createKafka(options: {
  clientId: string;
  brokers: string[];
  logger: Logger;
  connectionTimeout?: number;
  requestTimeout?: number;
  retry?: KafkaConfig['retry'];
  /** How connections are opened (tests: a network that loses answers); kafkajs' own by default. */
  socketFactory?: ISocketFactory;
}): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeout ?? 3000,
    requestTimeout: options.requestTimeout ?? 10000,
    retry: options.retry ?? { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: pinoLogCreator(options.logger.child({ component: 'kafkajs' })),
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
  });
}

/**
 * Creates the topics that do not exist yet (existing ones keep their partition count), then waits until every
 * partition has a leader: several services start at once and create the same topics, and the one that loses the
 * race must not produce or consume before the winner's topics are ready.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: Array<{ topic: string; numPartitions: number; configEntries?: Array<{ name: string; value: string }> }>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) {
      // Leaders are awaited below (kafkajs' own wait fails when another service created the topic a moment earlier).
      await admin.createTopics({ topics: missing.map((t) => ({ ...t, replicationFactor: -1 })), waitForLeaders: false });
    }
    await waitForLeaders(
      admin,
      topics.map(({ topic }) => topic),
    );
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const ready = metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0));
      if (ready && metadata.length === topics.length) return;
    } catch (err) {
      lastError = err; // UNKNOWN_TOPIC_OR_PARTITION while another service's creation is still in flight
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `Kafka topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms${lastError ? `: ${(lastError as Error).message}` : ''}`,
  );
}
