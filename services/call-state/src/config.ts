// The call-state service's environment, validated once at start-up (see README, "Configuration").
import { commonEnv, durationMs, kafkaBrokers, port, positiveInt, redisUrl, z } from '@callpulse/platform';

export const callStateEnv = z.object({
  ...commonEnv,
  CALL_STATE_PORT: port(3001),
  CALL_STATE_HOST: z.string().min(1).default('127.0.0.1'),
  CALL_STATE_GROUP_ID: z.string().min(1).default('callpulse-call-state'),
  /** Kafka group session timeout: how soon the group notices a dead worker and hands its partitions on. */
  CALL_STATE_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(30000),
  /** Sessions handled at once within a batch. */
  CALL_STATE_CONCURRENCY: positiveInt(128),
  /** Partitions whose batches are processed at the same time by one worker. */
  CALL_STATE_PARTITIONS_CONCURRENTLY: positiveInt(12),
  /**
   * A fetch returns once this many bytes are waiting or CALL_STATE_FETCH_MAX_WAIT_MS has passed: fewer, larger fetches
   * cost Kafka and this worker less CPU per event, at up to the wait in added latency (docs/benchmarks.md, 2026-12-01).
   */
  CALL_STATE_FETCH_MIN_BYTES: positiveInt(65536),
  CALL_STATE_FETCH_MAX_WAIT_MS: durationMs(25),
  /** Messages per chunk of a batch: offsets are resolved (and recorded for the next commit) after each chunk. */
  CALL_STATE_CHUNK_SIZE: positiveInt(2000),
  /** How often applied offsets are committed to Kafka (not after every batch: that held up every fetch). */
  CALL_STATE_COMMIT_INTERVAL_MS: durationMs(500),
  /** An applied offset is committed only after this long: Redis fsyncs its AOF about once a second (docs/reliability.md). */
  CALL_STATE_COMMIT_DURABLE_AFTER_MS: durationMs(2500),
  /** Wait for the other side's end before emitting a completed leg, so `endedBy` is right. */
  CALL_STATE_GRACE_MS: durationMs(3000),
  /**
   * While the emission gate is closed (a worker dead and not yet replaced, not fetching, or over ten seconds behind), a
   * record that needs the grace is held, at most this long after its session's last change; 0 turns the gate off.
   */
  CALL_STATE_EMIT_GATE_MAX_MS: durationMs(60000),
  /** How long an ended session stays amendable by late events. */
  CALL_STATE_RETENTION_MS: durationMs(60 * 60 * 1000),
  /** Legs with no event for this long are ended as Unknown / Timeout. */
  CALL_STATE_STALE_AFTER_MS: durationMs(4 * 60 * 60 * 1000),
  CALL_STATE_REAPER_INTERVAL_MS: durationMs(60 * 1000),
  /** How often the reaper's round also sweeps the live board for legs whose session is gone (first round: always). */
  CALL_STATE_BOARD_SWEEP_INTERVAL_MS: durationMs(5 * 60 * 1000),
  CALL_STATE_EMIT_INTERVAL_MS: durationMs(250),
  /** Sessions kept in memory per worker (their events need no read from Redis); 0 turns the cache off. */
  CALL_STATE_CACHE_SESSIONS: z.coerce.number().int().nonnegative().default(20000),
  /**
   * How new party events are stored in Redis: `compact` (positional arrays) or `json` (objects, as releases before
   * compact events stored them; for a rolling upgrade from such a release). Both are read either way.
   */
  CALL_STATE_EVENT_ENCODING: z.enum(['compact', 'json']).default('compact'),
  KAFKA_BROKERS: kafkaBrokers,
  KAFKA_TOPIC_PARTITIONS: positiveInt(12),
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('cp:'),
});

export type CallStateConfig = z.infer<typeof callStateEnv>;
