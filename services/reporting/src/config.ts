// The reporting service's environment, validated once at start-up; every variable is listed in docs/bi.md.
import { clickhouseEnv, commonEnv, durationMs, kafkaBrokers, port, positiveInt } from '@callpulse/platform';
import { z } from 'zod';

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
});

export type ReportingConfig = z.infer<typeof reportingEnv>;
