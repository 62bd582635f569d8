// Commits the consumer's offsets on a timer instead of after every batch. kafkajs' autoCommit sends an OffsetCommit
// after each partition's batch and fetches again only when every batch of the fetch is done, so each commit sat on
// the path of every live update. Offsets are recorded only after their chunk is applied in Redis; what was applied
// but not yet committed when a worker dies or loses the partition is applied again by the next owner, which changes
// nothing (events are deduplicated by sequence and party).
import type { Consumer, Logger } from '@callpulse/shared';

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read (last applied + 1), as kafkajs' commitOffsets expects. */
  offset: string;
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class OffsetCommitter {
  private pending = new Map<string, PartitionOffset>();
  private committing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Pick<Consumer, 'commitOffsets'>,
    private readonly logger: Logger,
  ) {}

  /** Notes that every message of the partition before `nextOffset` was applied. */
  record(topic: string, partition: number, nextOffset: string): void {
    const key = partitionKey(topic, partition);
    const seen = this.pending.get(key);
    if (!seen || BigInt(seen.offset) < BigInt(nextOffset)) this.pending.set(key, { topic, partition, offset: nextOffset });
  }

  /** Forgets what is pending for partitions this worker no longer owns (their new owner commits them). */
  keepOnly(owned: (topic: string, partition: number) => boolean): void {
    for (const [key, entry] of this.pending) if (!owned(entry.topic, entry.partition)) this.pending.delete(key);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.commit().catch(() => undefined); // logged in commit; retried on the next tick
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Commits what is pending; one commit at a time. A failed commit keeps its offsets for the next attempt. */
  async commit(): Promise<void> {
    while (this.committing) await this.committing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.committing = this.consumer
      .commitOffsets(batch)
      .catch((err: unknown) => {
        for (const entry of batch) this.record(entry.topic, entry.partition, entry.offset);
        this.logger.warn({ err, partitions: batch.length }, 'committing offsets failed; will retry');
        throw err;
      })
      .finally(() => {
        this.committing = undefined;
      });
    await this.committing;
  }

  get pendingPartitions(): number {
    return this.pending.size;
  }
}
