// Wires the ingest service: RingCentral webhooks -> Kafka (through the local spool whenever Kafka does not acknowledge
// in time), keyed by telephonySessionId; plus the RingCentral side (login, extension directory, webhook subscription)
// when credentials are configured. It starts and answers webhooks even while Kafka is unreachable.
import { setTimeout as sleep } from 'node:timers/promises';
import { redisChannels, redisKeys, topicNames } from '@callpulse/contracts';
import {
  ConfigError,
  createKafka,
  createRedis,
  createRegistry,
  ensureTopics,
  type Logger,
  logRedisErrors,
  type Redis,
  type Service,
} from '@callpulse/platform';
import type { FastifyInstance } from 'fastify';
import { serveAdminCommands } from './admin/commands.js';
import { buildIngestApp, type IngestAppDeps, ingestReadiness } from './app.js';
import type { IngestConfig } from './config.js';
import { BatchingProducer } from './kafka/batching-producer.js';
import { createIngestMetrics, registerStateMetrics } from './metrics.js';
import { type RingCentralHandle, startRingCentral } from './ringcentral/connect.js';
import { watchWebhookTokens } from './ringcentral/webhook-tokens.js';
import { type Drainer, spooledTopicMapper, startDrainer } from './spool/drainer.js';
import { createHandOff } from './spool/hand-off.js';
import { Spool, SpoolLockedError } from './spool/spool.js';

/** How long /readyz waits for Kafka at start-up before it reports ready with the spool alone. */
const STARTUP_READINESS_WAIT_MS = 10000;
/** Longest wait for Kafka's acknowledgement of one round of spooled records. */
const DRAIN_SEND_TIMEOUT_MS = 10000;
/** On SIGTERM, how long Kafka may take to empty the spool before the rest waits on disk for the next start. */
const DRAIN_ON_SHUTDOWN_MS = 5000;

export interface IngestService extends Service {
  /** The webhook's port once started (INGEST_PORT, or the one the system chose for 0). */
  port: () => number | undefined;
}

/**
 * The ingest service, built: start() opens the spool (a spool another process holds is a configuration error),
 * connects to Kafka in the background, listens for webhooks, then starts the RingCentral side.
 */
export function buildIngest(config: IngestConfig, options: { logger: Logger }): IngestService {
  const { logger } = options;
  const registry = createRegistry('ingest');
  const metrics = createIngestMetrics(registry);
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  const keys = redisKeys(config.REDIS_KEY_PREFIX);
  const channels = redisChannels(config.REDIS_KEY_PREFIX);
  const kafka = createKafka({ clientId: 'callpulse-ingest', brokers: config.KAFKA_BROKERS, logger, connectionTimeout: 1000 });
  const producerConnection = { clientId: 'callpulse-ingest', brokers: config.KAFKA_BROKERS, connectTimeoutMs: 1000 };
  const producer = new BatchingProducer(producerConnection, {
    lingerMs: config.INGEST_LINGER_MS,
    maxBatchMessages: config.INGEST_MAX_BATCH_MESSAGES,
    sendTimeoutMs: config.INGEST_PRODUCE_TIMEOUT_MS,
    logger,
    onBatch: (size, seconds, ok) => {
      metrics.batchSize.observe(size);
      metrics.produceSeconds.observe({ ok: String(ok) }, seconds);
    },
  });

  let stopping = false;
  let kafkaReady = false;
  // What start() opened so far, closed by stop() in reverse order.
  let spool: Spool | undefined;
  let drainer: Drainer | undefined;
  let redis: Redis | undefined;
  let webhookTokens: ReturnType<typeof watchWebhookTokens> | undefined;
  let app: FastifyInstance | undefined;
  let ringCentral: RingCentralHandle | undefined;
  let stopAdminCommands: (() => void) | undefined;
  let readiness: (() => true | string) | undefined;

  const kafkaStatus = () => (!kafkaReady ? 'connecting' : producer.healthy && drainer?.failing === undefined ? 'reachable' : 'unreachable');

  // Topics and the producer's connection, retried in the background until Kafka answers. The webhook listens at once:
  // until Kafka is ready, records go to the spool (a restart while Kafka is down must not refuse RingCentral).
  async function connectKafka(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await ensureTopics(kafka, [
          { topic: topics.telephonySessions, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
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
  }

  async function openSpool(): Promise<Spool> {
    try {
      return await Spool.open({ dir: config.INGEST_SPOOL_DIR, maxBytes: config.INGEST_SPOOL_MAX_BYTES, logger });
    } catch (err) {
      if (err instanceof SpoolLockedError) throw new ConfigError([`INGEST_SPOOL_DIR: ${err.message}`]);
      throw err;
    }
  }

  /**
   * Closes the HTTP server: requests in flight finish (each is answered once Kafka or the spool holds it). A keep-alive
   * connection that was busy when closing began would otherwise stay open until the client drops it (72 s with
   * undici): idle connections are closed as they become idle, and any left after 10 s are cut.
   */
  async function closeHttp(server: FastifyInstance): Promise<void> {
    const closing = server.close();
    const sweep = setInterval(() => server.server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.server.closeAllConnections(), 10000);
    try {
      await closing;
    } finally {
      clearInterval(sweep);
      clearTimeout(cut);
    }
  }

  return {
    ready: async () => readiness?.() ?? 'starting',
    port: () => {
      const address = app?.server.address();
      return typeof address === 'object' && address ? address.port : undefined;
    },

    async start() {
      if (!config.RC_WEBHOOK_VERIFICATION_TOKEN) {
        logger.warn(
          { host: config.INGEST_HOST },
          config.INGEST_ALLOW_UNVERIFIED_WEBHOOKS
            ? 'RC_WEBHOOK_VERIFICATION_TOKEN is not set and INGEST_ALLOW_UNVERIFIED_WEBHOOKS=1: webhook requests are not verified'
            : 'RC_WEBHOOK_VERIFICATION_TOKEN is not set: webhook requests are not verified, so the webhook listens on loopback only',
        );
      }
      const openedSpool = await openSpool();
      spool = openedSpool;
      logger.info({ dir: config.INGEST_SPOOL_DIR, records: openedSpool.backlog }, 'spool opened');

      const kafkaConnected = connectKafka();
      drainer = startDrainer({
        spool: openedSpool,
        target: producer,
        logger,
        batchRecords: config.INGEST_MAX_BATCH_MESSAGES * 4,
        sendTimeoutMs: Math.max(config.INGEST_PRODUCE_TIMEOUT_MS, DRAIN_SEND_TIMEOUT_MS),
        kafkaReady: kafkaConnected,
        onDrained: (records) => metrics.spoolDrained.inc(records),
        topicFor: spooledTopicMapper(topics, logger),
      });
      const handOff = createHandOff({ producer, spool: openedSpool, kafkaReady: () => kafkaReady });
      registerStateMetrics(
        registry,
        () => openedSpool.stats(),
        () => kafkaStatus() === 'reachable',
      );

      const commands = createRedis(config.REDIS_URL);
      redis = commands;
      logRedisErrors(commands, logger, 'directory');
      // Which tokens the webhook accepts besides RC_WEBHOOK_VERIFICATION_TOKEN (the live subscription's, the previous
      // one for a while after a rotation) and the subscription's health for /readyz, from the subscription record.
      const tokens = watchWebhookTokens({ redis: commands, keys, configuredToken: config.RC_WEBHOOK_VERIFICATION_TOKEN, logger });
      webhookTokens = tokens;
      await Promise.race([tokens.refresh().catch(() => undefined), sleep(1000)]); // Redis may be away: never wait long

      const appDeps: IngestAppDeps = {
        handOff,
        spool: openedSpool,
        kafkaStatus,
        startingUntilMs: Date.now() + STARTUP_READINESS_WAIT_MS,
        topics,
        metrics,
        registry,
        logger,
        bodyLimitBytes: config.INGEST_BODY_LIMIT_BYTES,
        verificationToken: config.RC_WEBHOOK_VERIFICATION_TOKEN === undefined ? undefined : (presented) => tokens.verify(presented),
        subscriptionHealth: () => tokens.health(),
        retryAfterSeconds: config.INGEST_RETRY_AFTER_SECONDS,
        onOtherEvent: (intake) => {
          if (intake.kind !== 'extension-list') return;
          if (ringCentral) ringCentral.onExtensionListEvent(intake.body);
          else logger.info('extension-list event without RingCentral credentials: the directory is not changed');
        },
      };
      app = buildIngestApp(appDeps);
      readiness = () => ingestReadiness(appDeps).ready;
      await app.listen({ port: config.INGEST_PORT, host: config.INGEST_HOST });
      if (stopping) return;

      // After listen: creating the webhook subscription makes RingCentral call the webhook (the Validation-Token handshake).
      ringCentral = await startRingCentral({ webhookTokens: tokens, config, redis: commands, keys, channels, logger, registry });
      if (ringCentral) {
        stopAdminCommands = await serveAdminCommands({ redisUrl: config.REDIS_URL, redis: commands, channels, ringCentral, logger });
      }
    },

    async stop() {
      stopping = true;
      if (app) await closeHttp(app); // stops accepting requests and waits for those in flight (each waits for Kafka or the spool)
      await drainer?.stop(kafkaReady ? DRAIN_ON_SHUTDOWN_MS : 0);
      await producer.close();
      if (spool) {
        await spool.close(); // what Kafka has not acknowledged stays on disk and is drained at the next start
        if (spool.backlog > 0) logger.warn({ records: spool.backlog }, 'records left in the spool for the next start');
      }
      stopAdminCommands?.();
      await ringCentral?.stop();
      webhookTokens?.stop();
      await redis?.quit();
    },
  };
}
