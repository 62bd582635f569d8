// Wires the call-state service: Kafka consumer -> session processor -> Redis; emitter and reaper on timers.
import { redisChannels, redisKeys, topicNames } from '@callpulse/contracts';
import {
  createHealthServer,
  createKafka,
  createRedis,
  createRegistry,
  createSubscriber,
  ensureTopics,
  IdempotentProducer,
  type Logger,
  logRedisErrors,
} from '@callpulse/platform';
import type { CallStateConfig } from './config.js';
import { MonitoredExtensions } from './consume/monitored.js';
import { SessionProcessor } from './consume/session-processor.js';
import { Worker } from './consume/worker.js';
import { Emitter } from './emit/emitter.js';
import { LiveBoard } from './live/live-board.js';
import { createCallStateMetrics } from './metrics.js';
import { Reaper } from './reaper/reaper.js';
import { EmissionLedger } from './store/emission-ledger.js';
import { SessionSchedule } from './store/schedule.js';
import { SessionCache } from './store/session-cache.js';
import { SessionStore } from './store/session-store.js';

/** Runs task until it succeeds, waiting 1 s doubling to 30 s between attempts; logs each failure. */
async function untilItWorks(what: string, logger: Logger, task: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await task();
      return;
    } catch (err) {
      const delayMs = Math.min(30000, 1000 * 2 ** attempt);
      logger.warn({ err, delayMs }, `${what} failed; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export async function startCallState(config: CallStateConfig, logger: Logger) {
  const registry = createRegistry('call-state');
  const metrics = createCallStateMetrics(registry);
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  const keys = redisKeys(config.REDIS_KEY_PREFIX);
  const channels = redisChannels(config.REDIS_KEY_PREFIX);
  const redis = createRedis(config.REDIS_URL);
  const subscriber = createSubscriber(config.REDIS_URL);
  logRedisErrors(redis, logger, 'commands');
  logRedisErrors(subscriber, logger, 'directory changes');
  const kafka = createKafka({ clientId: 'callpulse-call-state', brokers: config.KAFKA_BROKERS, logger });

  // Health first, so /readyz tells what start-up waits for.
  let starting: string | undefined = 'starting: waiting for Kafka and Redis';
  let worker: Worker | undefined;
  const http = createHealthServer({
    logger,
    registry,
    ready: async () => {
      if (starting) return starting;
      if (redis.status !== 'ready') return `Redis is not connected: ${redis.status}`;
      return worker?.ready ?? 'not yet a member of the consumer group';
    },
  });
  await http.listen({ port: config.CALL_STATE_PORT, host: config.CALL_STATE_HOST });

  // Kafka or Redis may be down while the service starts (or restarts with them): wait for them instead of exiting.
  await untilItWorks('creating the Kafka topics', logger, () =>
    ensureTopics(kafka, [
      { topic: topics.telephonySessions, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
      { topic: topics.completedCalls, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
      { topic: topics.callStateDeadLetter, numPartitions: 1 },
    ]),
  );
  const producer = new IdempotentProducer(kafka, { logger });

  const monitored = new MonitoredExtensions(redis, subscriber, keys, channels, logger);
  await untilItWorks('reading the monitored extensions from Redis', logger, () => monitored.start(30000));
  const store = new SessionStore(redis, keys);
  const cache = new SessionCache(config.CALL_STATE_CACHE_SESSIONS);
  const schedule = new SessionSchedule(redis, keys);
  const board = new LiveBoard(redis, keys, channels);
  const processor = new SessionProcessor({
    store,
    cache,
    schedule,
    board,
    monitored,
    timings: {
      graceMs: config.CALL_STATE_GRACE_MS,
      retentionMs: config.CALL_STATE_RETENTION_MS,
      staleAfterMs: config.CALL_STATE_STALE_AFTER_MS,
    },
    metrics,
    logger,
  });
  const emitter = new Emitter({
    redis,
    keys,
    channels,
    store,
    ledger: new EmissionLedger(redis, keys),
    cache,
    schedule,
    producer,
    topic: topics.completedCalls,
    monitored,
    metrics,
    logger,
    leaseMs: 30000,
  });
  const reaper = new Reaper({
    redis,
    keys,
    store,
    schedule,
    processor,
    cache,
    staleAfterMs: config.CALL_STATE_STALE_AFTER_MS,
    metrics,
    logger,
  });
  worker = new Worker({
    kafka,
    groupId: config.CALL_STATE_GROUP_ID,
    sessionTimeoutMs: config.CALL_STATE_SESSION_TIMEOUT_MS,
    topic: topics.telephonySessions,
    deadLetterTopic: topics.callStateDeadLetter,
    producer,
    processor,
    concurrency: config.CALL_STATE_CONCURRENCY,
    partitionsConcurrently: config.CALL_STATE_PARTITIONS_CONCURRENTLY,
    chunkSize: config.CALL_STATE_CHUNK_SIZE,
    commitIntervalMs: config.CALL_STATE_COMMIT_INTERVAL_MS,
    commitDurableAfterMs: config.CALL_STATE_COMMIT_DURABLE_AFTER_MS,
    // Emission runs beside consumption: awaiting the send of a chunk's records would hold up every partition's next
    // fetch, and with it the live board. What is due stays in Redis until emitted, whatever happens to this process.
    afterChunk: async () => {
      emitter.emitDue().catch((err) => logger.error({ err }, 'emitting completed records failed'));
    },
    onRebalance: () => cache.clear(), // the cache is exact only for partitions this worker kept
    metrics,
    logger,
  });

  const every = (ms: number, task: () => Promise<unknown>, what: string) => {
    const timer = setInterval(() => task().catch((err) => logger.error({ err }, `${what} failed`)), ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(config.CALL_STATE_EMIT_INTERVAL_MS, () => emitter.emitDue(), 'emitting completed records'),
    every(config.CALL_STATE_REAPER_INTERVAL_MS, () => reaper.reapOnce(), 'reaping stale legs'),
    every(5000, async () => metrics.pendingEmissions.set(await schedule.pendingCount()), 'reading the pending count'),
  ];

  starting = undefined;
  await worker.start();

  return {
    http,
    emitter,
    reaper,
    async stop(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      monitored.stop();
      await worker.stop(); // finishes the batch in flight and commits its offsets
      await emitter.emitDue().catch((err) => logger.error({ err }, 'final emission failed; records stay due in Redis'));
      await producer.disconnect();
      await http.close();
      subscriber.disconnect();
      await redis.quit();
    },
  };
}
