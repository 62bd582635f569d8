// The ingest service: RingCentral webhooks -> Kafka, keyed by telephonySessionId; plus the RingCentral side
// (login, extension directory, webhook subscription) when credentials are configured.
import {
  createKafka,
  createLogger,
  createRedis,
  createRegistry,
  ensureTopics,
  loadConfigOrExit,
  onShutdown,
  redisChannels,
  redisKeys,
  topicNames,
} from '@callpulse/shared';
import { serveAdminCommands } from './admin/commands.js';
import { buildIngestApp } from './app.js';
import { ingestEnv } from './config.js';
import { BatchingProducer } from './kafka/batching-producer.js';
import { createIngestMetrics } from './metrics.js';
import { type RingCentralHandle, startRingCentral } from './ringcentral/index.js';

const config = loadConfigOrExit('ingest', ingestEnv);
const logger = createLogger('ingest', config.LOG_LEVEL);
const registry = createRegistry('ingest');
const metrics = createIngestMetrics(registry);
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const kafka = createKafka({ clientId: 'callpulse-ingest', brokers: config.KAFKA_BROKERS, logger, connectionTimeout: 1000 });

await ensureTopics(kafka, [
  { topic: topics.telephonySessions, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
  { topic: topics.rcEvents, numPartitions: 1 },
  { topic: topics.ingestDeadLetter, numPartitions: 1 },
]);

const producer = new BatchingProducer(kafka, {
  lingerMs: config.INGEST_LINGER_MS,
  maxBatchMessages: config.INGEST_MAX_BATCH_MESSAGES,
  sendTimeoutMs: config.INGEST_PRODUCE_TIMEOUT_MS,
  logger,
  onBatch: (size, seconds, ok) => {
    metrics.batchSize.observe(size);
    metrics.produceSeconds.observe({ ok: String(ok) }, seconds);
  },
});
await producer.connect();
metrics.kafkaReachable.set(1);

const redis = createRedis(config.REDIS_URL);
let ringCentral: RingCentralHandle | undefined;

const app = buildIngestApp({
  kafka,
  producer,
  topics,
  metrics,
  registry,
  logger,
  bodyLimitBytes: config.INGEST_BODY_LIMIT_BYTES,
  verificationToken: config.RC_WEBHOOK_VERIFICATION_TOKEN,
  retryAfterSeconds: config.INGEST_RETRY_AFTER_SECONDS,
  onOtherEvent: (intake) => {
    if (intake.kind === 'extension-list') ringCentral?.onExtensionListEvent(intake.body);
  },
});
if (!config.RC_WEBHOOK_VERIFICATION_TOKEN) {
  logger.warn('RC_WEBHOOK_VERIFICATION_TOKEN is not set: webhook requests are not verified');
}

await app.listen({ port: config.INGEST_PORT, host: config.INGEST_HOST });

// After listen: creating the webhook subscription makes RingCentral call the webhook (the Validation-Token handshake).
ringCentral = await startRingCentral({
  config,
  redis,
  keys: redisKeys(config.REDIS_KEY_PREFIX),
  channels: redisChannels(config.REDIS_KEY_PREFIX),
  logger,
  registry,
});
const stopAdminCommands = ringCentral
  ? await serveAdminCommands({ redisUrl: config.REDIS_URL, redis, channels: redisChannels(config.REDIS_KEY_PREFIX), ringCentral, logger })
  : undefined;

onShutdown(logger, async () => {
  await app.close(); // stops accepting requests and waits for those in flight (each waits for its Kafka ack)
  await producer.close();
  stopAdminCommands?.();
  await ringCentral?.stop();
  await redis.quit();
});
