// The session's parts wired together: the session processor (apply/) and the emitter (emit/) over one store, one cache
// and one schedule, with the live board between. service.ts builds the running worker from them, the service tests
// the same parts without a Kafka consumer, so a test applies and emits exactly as the worker does.
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import { SessionProcessor, type SessionTimings } from './apply/session-processor.js';
import { Emitter, type EmitterDeps } from './emit/emitter.js';
import { LiveBoard } from './live/live-board.js';
import type { CallStateMetrics } from './metrics.js';
import { EmissionLedger } from './store/emission-ledger.js';
import { SessionCache } from './store/session-cache.js';
import { SessionSchedule } from './store/session-schedule.js';
import { type EventEncoding, SessionStore } from './store/session-store.js';
import { SessionWrites } from './store/session-writes.js';

export interface SessionPartsOptions {
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  monitored: EmitterDeps['monitored'];
  /** How the session's events are stored (CALL_STATE_EVENT_ENCODING). */
  encoding: EventEncoding;
  /** Sessions the cache keeps (CALL_STATE_CACHE_SESSIONS). */
  cacheSessions: number;
  /** CALL_STATE_GRACE_MS, CALL_STATE_RETENTION_MS and CALL_STATE_STALE_AFTER_MS. */
  timings: SessionTimings;
  /** Where the completed records go: the producer and the completed-calls topic's name. */
  producer: EmitterDeps['producer'];
  topic: string;
  /** How long an emitter claim holds its sessions. */
  leaseMs: number;
  /** The emission gate's hold (EmitterDeps.gate); none: never held. */
  gate?: EmitterDeps['gate'];
  metrics: CallStateMetrics;
  logger: Logger;
}

export interface SessionParts {
  store: SessionStore;
  cache: SessionCache;
  schedule: SessionSchedule;
  board: LiveBoard;
  processor: SessionProcessor;
  emitter: Emitter;
}

export function buildSessionParts(options: SessionPartsOptions): SessionParts {
  const { redis, keys, channels, monitored, timings, metrics, logger } = options;
  const store = new SessionStore(redis, keys, options.encoding);
  const cache = new SessionCache(options.cacheSessions);
  const schedule = new SessionSchedule(redis, keys);
  const board = new LiveBoard(redis, keys, channels, store);
  const processor = new SessionProcessor({
    store,
    cache,
    writes: new SessionWrites(redis, store, schedule),
    board,
    monitored,
    timings,
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
    leaseMs: options.leaseMs,
    graceMs: timings.graceMs,
    retentionMs: timings.retentionMs,
    gate: options.gate,
  });
  return { store, cache, schedule, board, processor, emitter };
}
