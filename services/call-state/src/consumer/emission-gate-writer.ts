// This worker's entry in the emission gate (emit/emission-gate.ts): every GATE_WRITE_INTERVAL_MS, when it wrote, when
// kafkajs last fetched for it, when it last joined the group and how far behind its partitions are. One HSET a beat,
// never awaited by the consumer; a failed write only makes the entry older (the emitters then hold what needs the
// grace, as for a dead worker, until a write goes through).
import type { RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import { GATE_WRITE_INTERVAL_MS, type GateEntry } from '../emit/emission-gate.js';

interface PartitionState {
  /** Records of the partition past the last batch applied, when it was fetched (kafkajs' batch.offsetLag()). */
  lag: number;
  /** The Kafka timestamp of the newest record applied there. */
  newestMs: number;
}

/** How long a stopping worker waits for its last entry to be written. */
const LEAVE_WRITE_WAIT_MS = 1000;

export class EmissionGateWriter {
  private fetchedAtMs = 0;
  private joinedAtMs = 0;
  private partitions = new Map<number, PartitionState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly worker: string,
    private readonly logger: Logger,
  ) {}

  /** Joined the group with these partitions: what was known of the others no longer says anything of this worker. */
  joined(partitions: readonly number[], nowMs = Date.now()): void {
    this.joinedAtMs = nowMs;
    const held = new Set(partitions);
    for (const partition of this.partitions.keys()) if (!held.has(partition)) this.partitions.delete(partition);
  }

  fetched(nowMs = Date.now()): void {
    this.fetchedAtMs = nowMs;
  }

  /** A batch of this partition was applied: `lag` records were past it when fetched, the newest applied was sent at newestMs. */
  applied(partition: number, lag: number, newestMs: number): void {
    this.partitions.set(partition, { lag, newestMs });
  }

  /** The entry as it stands: a partition not caught up counts for the age of the newest record applied in it. */
  entry(nowMs = Date.now()): GateEntry {
    let behindMs = 0;
    for (const { lag, newestMs } of this.partitions.values()) {
      if (lag > 0) behindMs = Math.max(behindMs, nowMs - newestMs);
    }
    return { atMs: nowMs, fetchedAtMs: this.fetchedAtMs, joinedAtMs: this.joinedAtMs, behindMs };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.write(), GATE_WRITE_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Leaving the group (a graceful stop): no more beats, and a last entry that says so, so the emitters hold what needs
   * the grace from now on until the workers that take over its partitions joined, not only once it falls silent.
   */
  async leave(nowMs = Date.now(), waitMs = LEAVE_WRITE_WAIT_MS): Promise<void> {
    this.stop();
    const written = this.redis
      .hset(this.keys.emissionGate, this.worker, JSON.stringify({ ...this.entry(nowMs), leaving: true }))
      .catch((err) => this.logger.debug({ err }, 'writing the emission gate entry failed'));
    // Redis down: the shutdown does not wait for its reconnects (the entry then falls silent instead).
    await Promise.race([written, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  async write(nowMs = Date.now()): Promise<void> {
    try {
      await this.redis.hset(this.keys.emissionGate, this.worker, JSON.stringify(this.entry(nowMs)));
    } catch (err) {
      this.logger.debug({ err }, 'writing the emission gate entry failed');
    }
  }
}
