// The reporting service's environment, validated once at start-up; every variable is listed in docs/bi.md.
import { clickhouseEnv, commonEnv, durationMs, kafkaBrokers, port, positiveInt } from '@callpulse/platform';
import { z } from 'zod';
import type { MigrationLockSettings } from './migrations/lock.js';

/** The migration lock's variables (also read by `npm run migrate`); README.md, "Configuration", says why these values. */
export const migrationLockEnv = {
  // At least a second: heartbeats are stamped with the ClickHouse server's now(), in seconds.
  REPORTING_MIGRATION_LOCK_STALE_MS: z.coerce.number().int().min(1000).default(120_000),
  REPORTING_MIGRATION_LOCK_WAIT_MS: durationMs(0),
};

export function migrationLockSettings(config: {
  REPORTING_MIGRATION_LOCK_STALE_MS: number;
  REPORTING_MIGRATION_LOCK_WAIT_MS: number;
}): MigrationLockSettings {
  return { staleAfterMs: config.REPORTING_MIGRATION_LOCK_STALE_MS, waitLimitMs: config.REPORTING_MIGRATION_LOCK_WAIT_MS };
}

export const reportingEnv = z.object({
  ...commonEnv,
  KAFKA_BROKERS: kafkaBrokers,
  KAFKA_TOPIC_PARTITIONS: positiveInt(12),
  ...clickhouseEnv,
  REPORTING_PORT: port(3002),
  REPORTING_HOST: z.string().min(1).default('127.0.0.1'),
  REPORTING_BATCH_ROWS: positiveInt(5000),
  REPORTING_FLUSH_INTERVAL_MS: durationMs(500),
  REPORTING_GROUP_ID: z.string().min(1).default('callpulse-reporting'),
  /** A fetch returns once this many bytes are waiting or REPORTING_FETCH_MAX_WAIT_MS has passed (fewer, larger fetches). */
  REPORTING_FETCH_MIN_BYTES: positiveInt(65536),
  REPORTING_FETCH_MAX_WAIT_MS: durationMs(100),
  ...migrationLockEnv,
});

export type ReportingConfig = z.infer<typeof reportingEnv>;
