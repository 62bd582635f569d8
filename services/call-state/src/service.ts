// Builds the call-state service from its parts: the Kafka consumer (consumer/) hands each session's events to the
// session processor (apply/), which keeps the session in Redis (store/) and the live board (live/) up to date; the
// emitter (emit/) and the reaper (reaper/) run on timers. start() waits for Kafka and Redis instead of failing (they may
// come up after the service, or restart with it); /readyz says what it waits for.
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisChannels, redisKeys, topicNames } from '@callpulse/contracts';
import {
  createHealthServer,
  createKafka,
  createRedis,
  createRegistry,
  createSubscriber,
  ensureTopics,
  IdempotentSender,
  type Logger,
  logRedisErrors,
  type Message,
  type ReadinessCheck,
  type SendOptions,
  type Service,
  type ServiceContext,
} from '@callpulse/platform';
import type { CallStateConfig } from './config.js';
import { EmissionGateWriter } from './consumer/emission-gate-writer.js';
import { PipelinePulse } from './consumer/pipeline-pulse.js';
import { TelephonySessionsConsumer } from './consumer/telephony-consumer.js';
import { MonitoredExtensions } from './directory/monitored-extensions.js';
import { createCallStateMetrics } from './metrics.js';
import { BoardSweep } from './reaper/board-sweep.js';
import { Reaper } from './reaper/reaper.js';
import { buildSessionParts } from './session-parts.js';

/** Runs task until it succeeds or the service stops, waiting 1 s doubling to 30 s between attempts; logs each failure. */
async function untilItWorks(what: string, logger: Logger, stopping: AbortSignal, task: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; !stopping.aborted; attempt++) {
    try {
      await task();
      return;
    } catch (err) {
      const delayMs = Math.min(30000, 1000 * 2 ** attempt);
      logger.warn({ err, delayMs }, `${what} failed; retrying`);
      await sleep(delayMs, undefined, { signal: stopping }).catch(() => undefined);
    }
  }
}

/**
 * The service built from its parts; nothing is awaited yet (connections open in the background). start() serves
 * /healthz, /readyz and /metrics, waits for Kafka and Redis, then consumes until stop(); stop() stops consuming, commits,
 * emits what is due and closes every connection, also while start() still waits.
 */
export function buildCallState(config: CallStateConfig, { logger }: ServiceContext): Service {
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
  // The completed records and dead letters go out over @platformatic/kafka (platform's IdempotentSender): kafkajs'
  // record encoding and CRC32C were about a twentieth of this worker's CPU on the interleaved backlog.
  const sender = new IdempotentSender({ clientId: 'callpulse-call-state', brokers: config.KAFKA_BROKERS }, { logger });
  const producer = {
    send: (record: { topic: string; messages: Message[] }, options?: SendOptions) => sender.sendTopic(record, options),
  };

  const monitored = new MonitoredExtensions(redis, subscriber, keys, channels, logger);
  const { store, cache, schedule, board, processor, emitter } = buildSessionParts({
    redis,
    keys,
    channels,
    monitored,
    encoding: config.CALL_STATE_EVENT_ENCODING,
    cacheSessions: config.CALL_STATE_CACHE_SESSIONS,
    timings: {
      graceMs: config.CALL_STATE_GRACE_MS,
      retentionMs: config.CALL_STATE_RETENTION_MS,
      staleAfterMs: config.CALL_STATE_STALE_AFTER_MS,
    },
    producer,
    topic: topics.completedCalls,
    leaseMs: 30000,
    gate: config.CALL_STATE_EMIT_GATE_MAX_MS > 0 ? { maxHoldMs: config.CALL_STATE_EMIT_GATE_MAX_MS, retryMs: 1000 } : undefined,
    metrics,
    logger,
  });
  const gate =
    config.CALL_STATE_EMIT_GATE_MAX_MS > 0 ? new EmissionGateWriter(redis, keys, `${hostname()}:${process.pid}`, logger) : undefined;
  const reaper = new Reaper({
    redis,
    keys,
    store,
    schedule,
    processor,
    cache,
    staleAfterMs: config.CALL_STATE_STALE_AFTER_MS,
    sweep: {
      board: new BoardSweep({ redis, keys, board, staleAfterMs: config.CALL_STATE_STALE_AFTER_MS, metrics, logger }),
      everyMs: config.CALL_STATE_BOARD_SWEEP_INTERVAL_MS,
    },
    metrics,
    logger,
  });
  const consumer = new TelephonySessionsConsumer({
    kafka,
    groupId: config.CALL_STATE_GROUP_ID,
    sessionTimeoutMs: config.CALL_STATE_SESSION_TIMEOUT_MS,
    topic: topics.telephonySessions,
    deadLetterTopic: topics.callStateDeadLetter,
    producer,
    processor,
    concurrency: config.CALL_STATE_CONCURRENCY,
    partitionsConcurrently: config.CALL_STATE_PARTITIONS_CONCURRENTLY,
    fetchMinBytes: config.CALL_STATE_FETCH_MIN_BYTES,
    fetchMaxWaitMs: config.CALL_STATE_FETCH_MAX_WAIT_MS,
    chunkSize: config.CALL_STATE_CHUNK_SIZE,
    commitIntervalMs: config.CALL_STATE_COMMIT_INTERVAL_MS,
    commitDurableAfterMs: config.CALL_STATE_COMMIT_DURABLE_AFTER_MS,
    // Emission runs beside consumption: awaiting the send of a chunk's records would hold up every partition's next
    // fetch, and with it the live board. What is due stays in Redis until emitted, whatever happens to this process.
    afterChunk: async () => {
      emitter.emitDue().catch((err) => logger.error({ err }, 'emitting completed records failed'));
    },
    onRebalance: () => cache.clear(), // the cache is exact only for partitions this worker kept
    pulse: new PipelinePulse(redis, keys, logger), // the alerts' NO_EVENTS and EVENTS_LATE read it
    gate,
    metrics,
    logger,
  });

  let starting: string | undefined = 'starting: waiting for Kafka and Redis';
  const ready: ReadinessCheck = async () => {
    if (starting) return starting;
    if (redis.status !== 'ready') return `Redis is not connected: ${redis.status}`;
    return consumer.ready;
  };
  const http = createHealthServer({ logger, registry, ready });
  const stopping = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let consuming = false;
  const every = (ms: number, task: () => Promise<unknown>, what: string) => {
    const timer = setInterval(() => task().catch((err) => logger.error({ err }, `${what} failed`)), ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    ready,
    async start() {
      // Health first, so /readyz tells what start-up waits for.
      await http.listen({ port: config.CALL_STATE_PORT, host: config.CALL_STATE_HOST });
      await untilItWorks('creating the Kafka topics', logger, stopping.signal, () =>
        ensureTopics(kafka, [
          { topic: topics.telephonySessions, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
          { topic: topics.completedCalls, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
          { topic: topics.callStateDeadLetter, numPartitions: 1 },
        ]),
      );
      await untilItWorks('reading the monitored extensions from Redis', logger, stopping.signal, () => monitored.start(30000));
      if (stopping.signal.aborted) return;
      every(config.CALL_STATE_EMIT_INTERVAL_MS, () => emitter.emitDue(), 'emitting completed records');
      every(config.CALL_STATE_REAPER_INTERVAL_MS, () => reaper.reapOnce(), 'reaping stale legs');
      every(5000, async () => metrics.pendingEmissions.set(await schedule.pendingCount()), 'reading the pending count');
      starting = undefined;
      consuming = true;
      gate?.start();
      await consumer.start();
    },
    async stop() {
      stopping.abort();
      for (const timer of timers) clearInterval(timer);
      monitored.stop();
      if (consuming) {
        // Says so before it stops fetching; the workers that take over its partitions join after this last entry.
        await gate?.leave();
        await consumer.stop(); // finishes the batch in flight and commits its offsets
        await emitter.emitDue().catch((err) => logger.error({ err }, 'final emission failed; records stay due in Redis'));
      }
      await sender.disconnect();
      await http.close();
      subscriber.disconnect();
      // Stopped while start-up still waited for Redis: nothing to finish, and quit would wait for a connection.
      if (consuming) await redis.quit();
      else redis.disconnect();
    },
  };
}
