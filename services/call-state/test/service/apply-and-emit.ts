// Test support: a session processor and an emitter wired as service.ts wires them, on the real Redis, with the
// producer and the timings a test chooses (no Kafka consumer: the test applies events and runs emission itself).
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import { createLogger, createRegistry, type Redis } from '@callpulse/platform';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import { Emitter, type EmitterDeps } from '../../src/emit/emitter.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { EmissionLedger } from '../../src/store/emission-ledger.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { SessionSchedule } from '../../src/store/session-schedule.js';
import { SessionStore } from '../../src/store/session-store.js';
import { SessionWrites } from '../../src/store/session-writes.js';

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

export function applyAndEmit(options: ApplyAndEmitOptions): { store: SessionStore; processor: SessionProcessor; emitter: Emitter } {
  const { redis, keys, channels, monitored, retentionMs } = options;
  const store = new SessionStore(redis, keys);
  const schedule = new SessionSchedule(redis, keys);
  const cache = new SessionCache(100);
  const metrics = createCallStateMetrics(createRegistry('test'));
  const logger = createLogger('test', 'silent');
  const processor = new SessionProcessor({
    store,
    cache,
    writes: new SessionWrites(redis, store, schedule),
    board: new LiveBoard(redis, keys, channels, store),
    monitored,
    timings: { graceMs: 0, retentionMs, staleAfterMs: options.staleAfterMs },
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
    producer: options.producer,
    topic: options.topic,
    monitored,
    metrics,
    logger,
    leaseMs: options.leaseMs ?? 30000,
    graceMs: 0,
    retentionMs,
  });
  return { store, processor, emitter };
}
