// Test support: the session processor and the emitter as the worker builds them (src/session-parts.ts), on the real
// Redis, with the producer and the timings a test chooses (no Kafka consumer: the test applies events and runs
// emission itself).
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import { createLogger, createRegistry, type Redis } from '@callpulse/platform';
import type { EmitterDeps } from '../../src/emit/emitter.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { buildSessionParts, type SessionParts } from '../../src/session-parts.js';

export interface ApplyAndEmitOptions {
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  /** The completed-calls topic's name the emitter sends to. */
  topic: string;
  producer: EmitterDeps['producer'];
  monitored: { isMonitored: (extensionId: string) => boolean; version: number };
  retentionMs: number;
  staleAfterMs: number;
  leaseMs?: number;
}

export function applyAndEmit(options: ApplyAndEmitOptions): SessionParts {
  const { redis, keys, channels, monitored, retentionMs, staleAfterMs } = options;
  return buildSessionParts({
    redis,
    keys,
    channels,
    monitored,
    encoding: 'compact',
    cacheSessions: 100,
    timings: { graceMs: 0, retentionMs, staleAfterMs },
    producer: options.producer,
    topic: options.topic,
    leaseMs: options.leaseMs ?? 30000,
    metrics: createCallStateMetrics(createRegistry('test')),
    logger: createLogger('test', 'silent'),
  });
}
