// The ingest service's environment, validated once at start-up (see README, "Configuration").
import { commonEnv, durationMs, kafkaBrokers, port, positiveInt, z } from '@callpulse/shared';
import { checkRingCentralEnv, ringCentralEnv } from './ringcentral/index.js';

export const ingestEnv = z
  .object({
    ...commonEnv,
    ...ringCentralEnv,
    INGEST_PORT: port(3000),
    INGEST_HOST: z.string().min(1).default('0.0.0.0'),
    INGEST_BODY_LIMIT_BYTES: positiveInt(256 * 1024),
    INGEST_LINGER_MS: durationMs(2),
    INGEST_MAX_BATCH_MESSAGES: positiveInt(500),
    INGEST_PRODUCE_TIMEOUT_MS: positiveInt(2500),
    INGEST_RETRY_AFTER_SECONDS: positiveInt(5),
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_TOPIC_PARTITIONS: positiveInt(12),
  })
  .superRefine(checkRingCentralEnv);

export type IngestConfig = z.infer<typeof ingestEnv>;
