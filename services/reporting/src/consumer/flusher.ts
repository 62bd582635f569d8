// Takes batches from the pending messages (at REPORTING_BATCH_ROWS or after REPORTING_FLUSH_INTERVAL_MS), writes
// them to ClickHouse, dead-letters what cannot be written, and only then commits their offsets. Failures are
// retried with backoff until they succeed; while they fail the buffer fills up and consumption pauses.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, Producer } from '@callpulse/shared';
import type { ReportingMetrics } from '../metrics.js';
import type { RecordWriter } from '../writer/writer.js';
import type { Pending, PendingMessages } from './buffer.js';
import { type DeadLetter, sendDeadLetters } from './dead-letter.js';

export type PartitionOffset = { topic: string; partition: number; offset: string };

export interface FlusherOptions {
  buffer: PendingMessages;
  writer: RecordWriter;
  producer: Producer;
  deadLetterTopic: string;
  batchRows: number;
  flushIntervalMs: number;
  /** Commits "next offset to read" per partition; called after the batch is durable. */
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  metrics: ReportingMetrics;
  logger: Logger;
}

/** Next offsets to commit: the highest offset of each partition in the batch, plus one. */
export function nextOffsets(batch: Pending[]): PartitionOffset[] {
  const highest = new Map<string, PartitionOffset>();
  for (const { topic, partition, message } of batch) {
    const key = `${topic}\u0000${partition}`;
    const next = (BigInt(message.offset) + 1n).toString();
    const seen = highest.get(key);
    if (!seen || BigInt(seen.offset) < BigInt(next)) highest.set(key, { topic, partition, offset: next });
  }
  return [...highest.values()];
}

export const backoffMs = (attempt: number) => Math.min(5000, 200 * 2 ** Math.min(attempt, 10)) * (0.75 + Math.random() * 0.5);

export class Flusher {
  /** Why the last attempt failed, while failures go on; undefined when healthy. */
  failing: string | undefined;
  private stopping = false;
  private giveUpAt = Number.POSITIVE_INFINITY;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: FlusherOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Writes what is pending (retrying until deadlineMs from now), commits, and ends the loop. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    this.giveUpAt = Date.now() + deadlineMs;
    this.options.buffer.wake();
    await this.loop?.catch((err: unknown) =>
      this.options.logger.error({ err }, 'pending messages not written before shutdown; they will be read again'),
    );
  }

  private async run(): Promise<void> {
    const { buffer, batchRows } = this.options;
    for (;;) {
      await this.due();
      if (buffer.size === 0) {
        if (this.stopping) return;
        continue;
      }
      const batch = buffer.take(batchRows);
      this.options.metrics.buffered.set(buffer.size);
      await this.process(batch);
    }
  }

  /** Resolves when a batch is due: the buffer is full, the oldest message waited the interval, or stopping. */
  private async due(): Promise<void> {
    const { buffer, flushIntervalMs } = this.options;
    for (;;) {
      if (this.stopping || buffer.full) return;
      const oldest = buffer.oldestArrival;
      const waited = oldest === undefined ? 0 : Date.now() - oldest;
      if (oldest !== undefined && waited >= flushIntervalMs) return;
      await buffer.changed(oldest === undefined ? 1000 : flushIntervalMs - waited);
    }
  }

  private async process(batch: Pending[]): Promise<void> {
    const { metrics, writer, producer, deadLetterTopic, logger } = this.options;
    metrics.batchRows.observe(batch.length);
    const letters: DeadLetter[] = [];
    const valid: Array<{ record: Extract<Pending['decoded'], { ok: true }>['record']; source: Pending }> = [];
    for (const pending of batch) {
      if (pending.decoded.ok) valid.push({ record: pending.decoded.record, source: pending });
      else letters.push({ pending, reason: pending.decoded.error });
    }
    const undecodable = letters.length;
    const result = await this.retrying('writing to ClickHouse', () => writer.write(valid));
    letters.push(...result.rejected.map(({ source, error }) => ({ pending: source, reason: error })));
    await this.retrying('sending to the dead-letter topic', () => sendDeadLetters(producer, deadLetterTopic, letters));
    metrics.recordsSkipped.inc(result.skipped.length);
    if (undecodable > 0) metrics.deadLettered.inc({ reason: 'undecodable' }, undecodable);
    if (result.rejected.length > 0) metrics.deadLettered.inc({ reason: 'refused_by_clickhouse' }, result.rejected.length);
    if (letters.length > 0) logger.warn({ count: letters.length, topic: deadLetterTopic }, 'messages dead-lettered');
    try {
      await this.options.commit(nextOffsets(batch));
    } catch (err) {
      // The rows are stored; a later commit covers these offsets, and a replay of them changes nothing.
      logger.warn({ err }, 'committing offsets failed');
    }
  }

  private async retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures++) {
      try {
        const value = await attempt();
        if (this.failing) this.options.logger.info({ failures }, `${what} works again`);
        this.failing = undefined;
        return value;
      } catch (err) {
        this.failing = `${what} failed: ${(err as Error).message}`;
        if (Date.now() >= this.giveUpAt) throw err;
        this.options.metrics.insertRetries.inc();
        if (failures % 10 === 0) this.options.logger.warn({ err, failures: failures + 1 }, `${what} failed; retrying`);
        await sleep(Math.min(backoffMs(failures), Math.max(0, this.giveUpAt - Date.now())));
      }
    }
  }
}
