// Commits the consumer's offsets on a timer instead of after every batch. kafkajs' autoCommit sends an OffsetCommit
// after each partition's batch and fetches again only when every batch of the fetch is done, so each commit sat on
// the path of every live update. Offsets are recorded only after their chunk is applied in Redis; what was applied
// but not yet committed when a worker dies or loses the partition is applied again by the next owner, which changes
// nothing (events are deduplicated by sequence and party).
//
// An offset is committed only once its effect has been in Redis for `durableAfterMs` (default 2.5 s): Redis appends to
// its AOF at once but fsyncs it about once a second (`appendfsync everysec`), so a host crash can lose the last second
// or two of writes. Events whose offsets are not committed yet are read again after such a crash, so nothing that Redis
// lost is lost for good (docs/reliability.md, "Redis lost its last writes").
import type { Logger } from '../logger.js';
import { type PartitionOffset, partitionKey } from './offsets.js';

interface Applied {
  offset: bigint;
  atMs: number;
}

/** Pure: the newest offset of each partition whose effect is old enough to be durable; the rest stays waiting. */
export function durableOffsets(
  applied: ReadonlyMap<string, readonly Applied[]>,
  nowMs: number,
  durableAfterMs: number,
): Map<string, { offset: bigint; remaining: Applied[] }> {
  const result = new Map<string, { offset: bigint; remaining: Applied[] }>();
  for (const [key, entries] of applied) {
    let newest: bigint | undefined;
    const remaining: Applied[] = [];
    for (const entry of entries) {
      if (nowMs - entry.atMs >= durableAfterMs) {
        if (newest === undefined || entry.offset > newest) newest = entry.offset;
      } else remaining.push(entry);
    }
    if (newest !== undefined) result.set(key, { offset: newest, remaining });
  }
  return result;
}

export class OffsetCommitter {
  /** Per partition, the offsets applied and when, oldest first. */
  private applied = new Map<string, Applied[]>();
  private partitions = new Map<string, { topic: string; partition: number }>();
  private committing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: () => { commitOffsets: (offsets: PartitionOffset[]) => Promise<void> },
    private readonly logger: Logger,
    private readonly durableAfterMs = 2500,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes that every message of the partition before `nextOffset` was applied (now). */
  record(topic: string, partition: number, nextOffset: string, atMs = this.now()): void {
    const key = partitionKey(topic, partition);
    this.partitions.set(key, { topic, partition });
    const list = this.applied.get(key) ?? [];
    const offset = BigInt(nextOffset);
    const last = list[list.length - 1];
    if (last && last.offset >= offset) return;
    list.push({ offset, atMs });
    this.applied.set(key, list);
  }

  /** Forgets what is pending for partitions this worker no longer owns (their new owner commits them). */
  keepOnly(owned: (topic: string, partition: number) => boolean): void {
    for (const [key, entry] of this.partitions) {
      if (owned(entry.topic, entry.partition)) continue;
      this.partitions.delete(key);
      this.applied.delete(key);
    }
  }

  start(intervalMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.commit().catch(() => undefined); // logged in commit; retried on the next tick
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Waits until everything applied so far is durable (for a clean shutdown), then commits it. */
  async commitAll(): Promise<void> {
    const newest = Math.max(0, ...[...this.applied.values()].map((list) => list[list.length - 1]?.atMs ?? 0));
    const wait = newest + this.durableAfterMs - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 5));
    await this.commit(true);
  }

  /**
   * Commits what is durable (everything with `all`, once the caller waited for it); one commit at a time. A failed
   * commit keeps its offsets for the next attempt.
   */
  async commit(all = false): Promise<void> {
    while (this.committing) await this.committing;
    const durable = durableOffsets(this.applied, all ? Number.POSITIVE_INFINITY : this.now(), this.durableAfterMs);
    if (durable.size === 0) return;
    const batch: PartitionOffset[] = [];
    for (const [key, { offset, remaining }] of durable) {
      const where = this.partitions.get(key);
      if (!where) continue;
      batch.push({ ...where, offset: offset.toString() });
      if (remaining.length > 0) this.applied.set(key, remaining);
      else this.applied.delete(key);
    }
    if (batch.length === 0) return;
    this.committing = this.consumer()
      .commitOffsets(batch)
      .catch((err: unknown) => {
        for (const entry of batch) this.restore(entry);
        this.logger.warn({ err, partitions: batch.length }, 'committing offsets failed; will retry');
        throw err;
      })
      .finally(() => {
        this.committing = undefined;
      });
    await this.committing;
  }

  /** Puts a failed commit's offset back, as durable already (it was). */
  private restore(entry: PartitionOffset): void {
    const key = partitionKey(entry.topic, entry.partition);
    if (!this.partitions.has(key)) return; // no longer ours
    const list = this.applied.get(key) ?? [];
    list.unshift({ offset: BigInt(entry.offset), atMs: Number.NEGATIVE_INFINITY });
    this.applied.set(key, list);
  }

  get pendingPartitions(): number {
    return this.applied.size;
  }
}
