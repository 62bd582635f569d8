// The ingest service: RingCentral webhooks -> Kafka (through the local spool whenever Kafka does not acknowledge in
// time), keyed by telephonySessionId; plus the RingCentral side (login, extension directory, webhook subscription)
// when credentials are configured. It starts and answers webhooks even while Kafka is unreachable.
import { setTimeout as sleep } from 'node:timers/promises';
import { redisChannels, redisKeys, topicNames } from '@callpulse/contracts';
import {
  createKafka,
  createLogger,
  createRedis,
  createRegistry,
  ensureTopics,
  loadConfigOrExit,
  logRedisErrors,
  onShutdown,
} from '@callpulse/platform';
import { serveAdminCommands } from './admin/commands.js';
import { buildIngestApp } from './app.js';
import { ingestEnv } from './config.js';
import { BatchingProducer } from './kafka/batching-producer.js';
import { createIngestMetrics, registerStateMetrics } from './metrics.js';
import { type RingCentralHandle, startRingCentral, watchWebhookTokens } from './ringcentral/index.js';
import { spooledTopicMapper, startDrainer } from './spool/drainer.js';
import { createHandOff } from './spool/hand-off.js';
import { Spool, SpoolLockedError } from './spool/spool.js';

/** How long /readyz waits for Kafka at start-up before it reports ready with the spool alone. */
const STARTUP_READINESS_WAIT_MS = 10000;
/** Longest wait for Kafka's acknowledgement of one round of spooled records. */
const DRAIN_SEND_TIMEOUT_MS = 10000;
/** On SIGTERM, how long Kafka may take to empty the spool before the rest waits on disk for the next start. */
const DRAIN_ON_SHUTDOWN_MS = 5000;

const config = loadConfigOrExit('ingest', ingestEnv);
const logger = createLogger('ingest', config.LOG_LEVEL);
const registry = createRegistry('ingest');
const metrics = createIngestMetrics(registry);
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const kafka = createKafka({ clientId: 'callpulse-ingest', brokers: config.KAFKA_BROKERS, logger, connectionTimeout: 1000 });

if (!config.RC_WEBHOOK_VERIFICATION_TOKEN) {
  logger.warn(
    { host: config.INGEST_HOST },
    config.INGEST_ALLOW_UNVERIFIED_WEBHOOKS
      ? 'RC_WEBHOOK_VERIFICATION_TOKEN is not set and INGEST_ALLOW_UNVERIFIED_WEBHOOKS=1: webhook requests are not verified'
      : 'RC_WEBHOOK_VERIFICATION_TOKEN is not set: webhook requests are not verified, so the webhook listens on loopback only',
  );
}

let spool: Spool;
try {
  spool = await Spool.open({ dir: config.INGEST_SPOOL_DIR, maxBytes: config.INGEST_SPOOL_MAX_BYTES, logger });
} catch (err) {
  if (!(err instanceof SpoolLockedError)) throw err;
  process.stderr.write(`ingest: invalid configuration:\n  - INGEST_SPOOL_DIR: ${err.message}\n`);
  process.exit(78);
}
logger.info({ dir: config.INGEST_SPOOL_DIR, records: spool.backlog }, 'spool opened');

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

// Topics and the producer's connection, retried in the background until Kafka answers. The webhook listens at once:
// until Kafka is ready, records go to the spool (a restart while Kafka is down must not refuse RingCentral).
let kafkaReady = false;
let stopping = false;
const kafkaConnected = (async () => {
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await ensureTopics(kafka, [
        { topic: topics.telephonySessions, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
        { topic: topics.rcEvents, numPartitions: 1 },
        { topic: topics.ingestDeadLetter, numPartitions: 1 },
      ]);
      await producer.connect();
      kafkaReady = true;
      if (attempt > 1) logger.info({ attempt }, 'Kafka is reachable; sending to it');
      return;
    } catch (err) {
      if (attempt === 1) logger.warn({ err }, 'Kafka is unreachable at start-up; webhooks go to the spool until it answers');
      await sleep(Math.min(1000 * attempt, 5000));
    }
  }
})();

const drainer = startDrainer({
  spool,
  target: producer,
  logger,
  batchRecords: config.INGEST_MAX_BATCH_MESSAGES * 4,
  sendTimeoutMs: Math.max(config.INGEST_PRODUCE_TIMEOUT_MS, DRAIN_SEND_TIMEOUT_MS),
  kafkaReady: kafkaConnected,
  onDrained: (records) => metrics.spoolDrained.inc(records),
  topicFor: spooledTopicMapper(topics, logger),
});
const handOff = createHandOff({ producer, spool, kafkaReady: () => kafkaReady });
const kafkaStatus = () => (!kafkaReady ? 'connecting' : producer.healthy && drainer.failing === undefined ? 'reachable' : 'unreachable');
registerStateMetrics(
  registry,
  () => spool.stats(),
  () => kafkaStatus() === 'reachable',
);

const redis = createRedis(config.REDIS_URL);
logRedisErrors(redis, logger, 'directory');
// Which tokens the webhook accepts besides RC_WEBHOOK_VERIFICATION_TOKEN (the live subscription's, the previous one
// for a while after a rotation) and the subscription's health for /readyz, from the subscription record in Redis.
const webhookTokens = watchWebhookTokens({
  redis,
  keys: redisKeys(config.REDIS_KEY_PREFIX),
  configuredToken: config.RC_WEBHOOK_VERIFICATION_TOKEN,
  logger,
});
await Promise.race([webhookTokens.refresh().catch(() => undefined), sleep(1000)]); // Redis may be away: never wait long
let ringCentral: RingCentralHandle | undefined;

const app = buildIngestApp({
  handOff,
  spool,
  kafkaStatus,
  startingUntilMs: Date.now() + STARTUP_READINESS_WAIT_MS,
  topics,
  metrics,
  registry,
  logger,
  bodyLimitBytes: config.INGEST_BODY_LIMIT_BYTES,
  verificationToken: config.RC_WEBHOOK_VERIFICATION_TOKEN === undefined ? undefined : (presented) => webhookTokens.verify(presented),
  subscriptionHealth: () => webhookTokens.health(),
  retryAfterSeconds: config.INGEST_RETRY_AFTER_SECONDS,
  onOtherEvent: (intake) => {
    if (intake.kind !== 'extension-list') return;
    if (ringCentral) ringCentral.onExtensionListEvent(intake.body);
    else logger.info('extension-list event without RingCentral credentials: the directory is not changed');
  },
});

await app.listen({ port: config.INGEST_PORT, host: config.INGEST_HOST });

// After listen: creating the webhook subscription makes RingCentral call the webhook (the Validation-Token handshake).
ringCentral = await startRingCentral({
  webhookTokens,
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

/**
 * Closes the HTTP server: requests in flight finish (each is answered once Kafka or the spool holds it). A keep-alive
 * connection that was busy when closing began would otherwise stay open until the client drops it (72 s with
 * undici): idle connections are closed as they become idle, and any left after 10 s are cut.
 */
async function closeHttp(): Promise<void> {
  const closing = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
  const cut = setTimeout(() => app.server.closeAllConnections(), 10000);
  try {
    await closing;
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
}

onShutdown(logger, async () => {
  stopping = true;
  await closeHttp(); // stops accepting requests and waits for those in flight (each waits for Kafka or the spool)
  await drainer.stop(kafkaReady ? DRAIN_ON_SHUTDOWN_MS : 0);
  await producer.close();
  await spool.close(); // what Kafka has not acknowledged stays on disk and is drained at the next start
  if (spool.backlog > 0) logger.warn({ records: spool.backlog }, 'records left in the spool for the next start');
  stopAdminCommands?.();
  await ringCentral?.stop();
  webhookTokens.stop();
  await redis.quit();
});
