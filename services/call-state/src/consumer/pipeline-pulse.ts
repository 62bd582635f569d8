// The pipeline's pulse (redisKeys().pipelinePulse, read by the API's alerts: NO_EVENTS, EVENTS_LATE): after each
// chunk this worker applied, the latest receipt time of its events (field lastEventAtMs, only ever raised) and its
// largest delay between an event's eventTime and its application (field `lag:<worker>`, JSON {lagMs, atMs}). One
// EVAL per chunk (built in: safe whatever ioredis has queued, see platform's redis/lock.ts), never awaited by the
// consumer, so the pulse holds up no batch and a failed write only loses one beat.
import { hostname } from 'node:os';
import type { RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';

/** KEYS: the pulse hash. ARGV: the batch's latest receipt (ms, '' when unknown), the lag field, its JSON. */
const pulseLua = `
if ARGV[1] ~= '' then
  local current = tonumber(redis.call('hget', KEYS[1], 'lastEventAtMs') or '0') or 0
  if tonumber(ARGV[1]) > current then redis.call('hset', KEYS[1], 'lastEventAtMs', ARGV[1]) end
end
if ARGV[2] ~= '' then redis.call('hset', KEYS[1], ARGV[2], ARGV[3]) end
return 1
`;

/** What one batch says of the pipeline: the latest receipt and the largest delay of its events. */
export class BatchPulse {
  lastReceivedAtMs = 0;
  maxLagMs: number | null = null;

  /** Notes one applied message: its receipt header (epoch ms as text) and its events' times, applied at nowMs. */
  note(receivedAt: string | undefined, eventTimesMs: readonly number[], nowMs: number): void {
    const received = Number(receivedAt);
    if (receivedAt !== undefined && Number.isFinite(received) && received > this.lastReceivedAtMs) this.lastReceivedAtMs = received;
    for (const eventTimeMs of eventTimesMs) {
      const lag = Math.max(0, nowMs - eventTimeMs);
      if (this.maxLagMs === null || lag > this.maxLagMs) this.maxLagMs = lag;
    }
  }

  /** What was noted so far, and starts again (one beat per chunk applied). */
  take(): BatchPulse {
    const beat = new BatchPulse();
    beat.lastReceivedAtMs = this.lastReceivedAtMs;
    beat.maxLagMs = this.maxLagMs;
    this.lastReceivedAtMs = 0;
    this.maxLagMs = null;
    return beat;
  }

  get empty(): boolean {
    return this.lastReceivedAtMs === 0 && this.maxLagMs === null;
  }
}

export class PipelinePulse {
  /** This worker's name in the lag field: host and process. */
  readonly worker: string;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    worker = `${hostname()}:${process.pid}`,
  ) {
    this.worker = worker;
  }

  /** Writes the batch's pulse (not awaited by the caller: the returned promise never rejects). */
  write(batch: BatchPulse, nowMs = Date.now()): Promise<void> {
    if (batch.empty) return Promise.resolve();
    const lagField = batch.maxLagMs === null ? '' : `lag:${this.worker}`;
    const lagJson = batch.maxLagMs === null ? '' : JSON.stringify({ lagMs: batch.maxLagMs, atMs: nowMs });
    const received = batch.lastReceivedAtMs > 0 ? String(batch.lastReceivedAtMs) : '';
    return this.redis
      .eval(pulseLua, 1, this.keys.pipelinePulse, received, lagField, lagJson)
      .then(() => undefined)
      .catch((err: Error) => this.logger.warn({ err: err.message }, 'writing the pipeline pulse failed'));
  }
}
