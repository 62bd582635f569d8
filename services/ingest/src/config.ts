// The ingest service's environment, validated once at start-up (see README, "Configuration").
// Safe by default: without RC_WEBHOOK_VERIFICATION_TOKEN the webhook listens on loopback only; an explicit address
// beyond loopback then needs the token, or INGEST_ALLOW_UNVERIFIED_WEBHOOKS=1 as a deliberate opt-out.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { commonEnv, durationMs, kafkaBrokers, port, positiveInt, z } from '@callpulse/platform';
import { checkRingCentralEnv, ringCentralEnv } from './ringcentral/config.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * The spool directory when INGEST_SPOOL_DIR is unset: one per port (and topic prefix) under the repository's .stack
 * folder, so a restarted instance finds its own spool and instances side by side (tests, benchmarks) never share one.
 */
export function defaultSpoolDir(ingestPort: number, topicPrefix = ''): string {
  const prefix = topicPrefix.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return resolve(repoRoot, '.stack', 'ingest-spool', `port-${ingestPort}${prefix ? `-${prefix}` : ''}`);
}

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

const flag = z
  .enum(['', '0', '1', 'false', 'true'])
  .default('')
  .transform((value) => value === '1' || value === 'true');

export const ingestEnv = z
  .object({
    ...commonEnv,
    ...ringCentralEnv,
    INGEST_PORT: port(3000),
    INGEST_HOST: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim())),
    INGEST_ALLOW_UNVERIFIED_WEBHOOKS: flag,
    // One webhook is one Kafka message, and Kafka takes at most 1 MiB per message by default (message.max.bytes).
    INGEST_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .max(1_000_000, 'must be at most 1000000: a webhook becomes one Kafka message, and Kafka takes at most 1 MiB')
      .default(256 * 1024),
    INGEST_LINGER_MS: durationMs(2),
    INGEST_MAX_BATCH_MESSAGES: positiveInt(500),
    INGEST_PRODUCE_TIMEOUT_MS: positiveInt(1000),
    INGEST_RETRY_AFTER_SECONDS: positiveInt(5),
    INGEST_SPOOL_DIR: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim())),
    INGEST_SPOOL_MAX_BYTES: positiveInt(1024 * 1024 * 1024),
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_TOPIC_PARTITIONS: positiveInt(12),
  })
  .superRefine((config, ctx) => {
    checkRingCentralEnv(config, ctx);
    const host = config.INGEST_HOST;
    if (host !== undefined && !isLoopbackHost(host) && !config.RC_WEBHOOK_VERIFICATION_TOKEN && !config.INGEST_ALLOW_UNVERIFIED_WEBHOOKS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['INGEST_HOST'],
        message:
          'listens beyond loopback but RC_WEBHOOK_VERIFICATION_TOKEN is not set, so anyone who reaches the port could post ' +
          'forged calls and extension events; set RC_WEBHOOK_VERIFICATION_TOKEN (the token RingCentral sends), or ' +
          'INGEST_ALLOW_UNVERIFIED_WEBHOOKS=1 to accept unverified webhooks anyway',
      });
    }
  })
  .transform((config) => ({
    ...config,
    // Without a token, the default address is loopback: the webhook is reachable from this machine only.
    INGEST_HOST: config.INGEST_HOST ?? (config.RC_WEBHOOK_VERIFICATION_TOKEN ? '0.0.0.0' : '127.0.0.1'),
    INGEST_SPOOL_DIR: resolve(config.INGEST_SPOOL_DIR ?? defaultSpoolDir(config.INGEST_PORT, config.KAFKA_TOPIC_PREFIX)),
  }));

export type IngestConfig = z.infer<typeof ingestEnv>;
