// The reporting pipeline, one attempt: migrate ClickHouse, create the topics, consume completed-calls records into
// ClickHouse. service.ts starts it (again, with backoff, while Kafka or ClickHouse is unreachable).
import { topicNames } from '@callpulse/contracts';
import { clickHouseFromConfig, createKafka, ensureTopics, IdempotentProducer, type Logger } from '@callpulse/platform';
import { migrationLockSettings, type ReportingConfig } from './config.js';
import { PendingMessages } from './consumer/buffer.js';
import { OWNERSHIP_LEASE_MS, startCompletedCallsConsumer } from './consumer/consumer.js';
import { Flusher } from './consumer/flusher.js';
import { Ownership } from './consumer/ownership.js';
import type { ReportingMetrics } from './metrics.js';
import { MIGRATION_REQUEST_TIMEOUT_MS, migrate } from './migrations/migrate.js';
import { RecordWriter } from './writer/writer.js';

export interface Pipeline {
  /** true when consuming and ClickHouse answers; otherwise why not (for /readyz). */
  ready: () => Promise<true | string>;
  /** Stops fetching, writes and commits what is pending (up to stopDeadlineMs), and closes every connection. */
  stop: () => Promise<void>;
}

export interface PipelineOptions {
  logger: Logger;
  metrics: ReportingMetrics;
  /** How long stop() keeps retrying to write what is pending (default 20 s). */
  stopDeadlineMs?: number;
  /** Aborted when the service stops: ends a wait for another instance's migration lock. */
  signal?: AbortSignal;
}

/**
 * Request timeout of reporting's ClickHouse client: the longest a write can keep a rebalance waiting (it must stay
 * well under kafkajs' 60 s rebalance timeout, see consumer.ts).
 */
export const CLICKHOUSE_REQUEST_TIMEOUT_MS = 30000;

/** Starts the pipeline; throws when Kafka or ClickHouse cannot be reached now, or a migration was changed. */
export async function startPipeline(config: ReportingConfig, options: PipelineOptions): Promise<Pipeline> {
  const { logger, metrics } = options;
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  const database = config.CLICKHOUSE_DATABASE;
  const clickhouse = clickHouseFromConfig(config, { requestTimeoutMs: CLICKHOUSE_REQUEST_TIMEOUT_MS, application: 'callpulse-reporting' });
  const kafka = createKafka({ clientId: 'callpulse-reporting', brokers: config.KAFKA_BROKERS, logger });

  try {
    const migrations = clickHouseFromConfig(config, { requestTimeoutMs: MIGRATION_REQUEST_TIMEOUT_MS, application: 'callpulse-reporting' });
    try {
      await migrate({ clickhouse: migrations, database, logger, lock: migrationLockSettings(config), signal: options.signal });
    } finally {
      await migrations.close();
    }
    await ensureTopics(kafka, [
      { topic: topics.completedCalls, numPartitions: config.KAFKA_TOPIC_PARTITIONS },
      { topic: topics.reportingDeadLetter, numPartitions: 1 },
    ]);
  } catch (err) {
    await clickhouse.close();
    throw err;
  }

  // Dead letters only: one send in flight, a fresh producer after a failure (platform's IdempotentProducer).
  const producer = new IdempotentProducer(kafka, { logger });
  const buffer = new PendingMessages(config.REPORTING_BATCH_ROWS);
  const ownership = new Ownership(OWNERSHIP_LEASE_MS);
  const writer = new RecordWriter(clickhouse, database, logger, {
    onInsert: (table, rows, seconds) => {
      metrics.rowsInserted.inc({ table }, rows);
      metrics.insertSeconds.observe({ table }, seconds);
    },
    onLegsStored: (endMs) => {
      const now = Date.now();
      for (const end of endMs) if (Number.isFinite(end)) metrics.legStoredDelay.observe(Math.max(0, now - end) / 1000);
    },
    onRepair: (kind, keys) => metrics.repairs.inc({ kind }, keys.length),
    onConflict: (kind, conflicts) => metrics.versionConflicts.inc({ kind }, conflicts.length),
  });
  let consumer: Awaited<ReturnType<typeof startCompletedCallsConsumer>>;
  try {
    await producer.connect();
    consumer = await startCompletedCallsConsumer({
      kafka,
      topic: topics.completedCalls,
      groupId: config.REPORTING_GROUP_ID,
      fetchMinBytes: config.REPORTING_FETCH_MIN_BYTES,
      fetchMaxWaitMs: config.REPORTING_FETCH_MAX_WAIT_MS,
      buffer,
      ownership,
      metrics,
      logger,
    });
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    await clickhouse.close();
    throw err;
  }
  const flusher = new Flusher({
    buffer,
    writer,
    producer,
    deadLetterTopic: topics.reportingDeadLetter,
    batchRows: config.REPORTING_BATCH_ROWS,
    flushIntervalMs: config.REPORTING_FLUSH_INTERVAL_MS,
    commit: consumer.commit,
    ownership,
    metrics,
    logger,
  });
  flusher.start();
  logger.info({ topic: topics.completedCalls, database, groupId: config.REPORTING_GROUP_ID }, 'reporting started');

  let stopped: Promise<void> | undefined;
  return {
    ready: async () => {
      if (consumer.notConsuming) return consumer.notConsuming;
      if (flusher.failing) return flusher.failing;
      const ping = await clickhouse.ping();
      return ping.success ? true : `ClickHouse does not answer: ${ping.error.message}`;
    },
    stop: () => {
      stopped ??= (async () => {
        consumer.pause();
        await flusher.stop(options.stopDeadlineMs ?? 20000);
        await consumer.disconnect();
        await producer.disconnect();
        await clickhouse.close();
        logger.info('reporting stopped');
      })();
      return stopped;
    },
  };
}
