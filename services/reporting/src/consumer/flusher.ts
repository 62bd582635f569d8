// Takes batches from the pending messages (at REPORTING_BATCH_ROWS or after REPORTING_FLUSH_INTERVAL_MS), writes
// them to ClickHouse, dead-letters what cannot be written, and only then commits their offsets. Failures are
// retried with backoff until they succeed; while they fail the buffer fills up and consumption pauses. Before every
// attempt, and again right before each insert, messages of partitions this instance no longer owns are dropped (the
// new owner reads them again from the committed offset); their offsets are never committed here. Every message
// taken is marked finished at the end, whatever happened to it (eachBatch waits for that).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  deadLetterMessage,
  highestOffsets,
  type IdempotentProducer,
  type Logger,
  nextOffset,
  type PartitionOffset,
} from '@callpulse/platform';
import type { ReportingMetrics } from '../metrics.js';
import type { RecordWriter } from '../writer/writer.js';
import type { Pending, PendingMessages } from './buffer.js';
import type { Ownership, OwnershipStatus } from './ownership.js';

export interface FlusherOptions {
  buffer: PendingMessages;
  writer: RecordWriter;
  producer: Pick<IdempotentProducer, 'send'>;
  deadLetterTopic: string;
  batchRows: number;
  flushIntervalMs: number;
  /** Commits "next offset to read" per partition; called after the batch is durable. */
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  ownership: Ownership;
  metrics: ReportingMetrics;
  logger: Logger;
}

/** Thrown by the fence right before an insert when some message of the attempt is no longer this instance's. */
export class Fenced extends Error {
  override name = 'Fenced';
}

/** Next offsets to commit: the highest offset of each partition in the batch, plus one. */
export function nextOffsets(batch: Pending[]): PartitionOffset[] {
  return highestOffsets(batch.map(({ topic, partition, message }) => ({ topic, partition, offset: nextOffset(message.offset) })));
}

/** A message that cannot be written, and why. */
interface DeadLetter {
  pending: Pending;
  reason: string;
}

/** The dead letters in one send, in platform's one format (reason, source topic, partition and offset). */
function sendDeadLetters(producer: FlusherOptions['producer'], topic: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return Promise.resolve();
  const messages = letters.map(({ pending, reason }) =>
    deadLetterMessage({ message: pending.message, from: { topic: pending.topic, partition: pending.partition }, reason }),
  );
  return producer.send({ topic, messages });
}

export const backoffMs = (attempt: number) => Math.min(5000, 200 * 2 ** Math.min(attempt, 10)) * (0.75 + Math.random() * 0.5);

const unsureReason = 'Kafka group membership unconfirmed: no heartbeat got through lately; writes wait';

export class Flusher {
  /** Why the last attempt failed (or writes wait), while that goes on; undefined when healthy. */
  failing: string | undefined;
  private stopping = false;
  private behind = false;
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
    for (const left of this.options.buffer.take(Number.POSITIVE_INFINITY)) left.finish();
  }

  private async run(): Promise<void> {
    const { buffer, batchRows } = this.options;
    for (;;) {
      await this.due();
      if (buffer.size === 0) {
        if (this.stopping) return;
        continue;
      }
      // A full buffer means Kafka has more: write the rest at once too (kafkajs fetches again only once it is written).
      this.behind = buffer.full;
      const batch = buffer.take(batchRows);
      this.options.metrics.buffered.set(buffer.size);
      try {
        await this.process(batch);
      } finally {
        for (const pending of batch) pending.finish();
      }
    }
  }

  /**
   * Resolves when a batch is due: the buffer is full, the oldest message waited the interval, the last batch was
   * taken from a full buffer (catching up: no reason to wait), or stopping.
   */
  private async due(): Promise<void> {
    const { buffer, flushIntervalMs } = this.options;
    for (;;) {
      if (this.stopping || buffer.full || (this.behind && buffer.size > 0)) return;
      const oldest = buffer.oldestArrival;
      const waited = oldest === undefined ? 0 : Date.now() - oldest;
      if (oldest !== undefined && waited >= flushIntervalMs) return;
      await buffer.changed(oldest === undefined ? 1000 : flushIntervalMs - waited);
    }
  }

  private async process(batch: Pending[]): Promise<void> {
    const { metrics, writer, producer, deadLetterTopic, logger, ownership } = this.options;
    metrics.batchRows.observe(batch.length);
    const statusOf = (pending: Pending) => ownership.status(pending.partition, pending.epoch);
    const dropped = (count: number) => metrics.revokedDropped.inc(count);
    const written = await this.retrying('writing to ClickHouse', batch, statusOf, dropped, (owned, fence) =>
      writer.write(
        owned.flatMap((pending) => (pending.decoded.ok ? [{ record: pending.decoded.record, source: pending }] : [])),
        fence,
      ),
    );
    if (!written) return; // all of it belongs to other instances now
    const { owned, value: result } = written;
    const letters: DeadLetter[] = owned.flatMap((pending) => (pending.decoded.ok ? [] : [{ pending, reason: pending.decoded.error }]));
    const undecodable = letters.length;
    letters.push(...result.rejected.map(({ source, error }) => ({ pending: source, reason: error })));
    if (letters.length > 0) {
      const sent = await this.retrying(
        'sending to the dead-letter topic',
        letters,
        (letter) => statusOf(letter.pending),
        dropped,
        (mine) => sendDeadLetters(producer, deadLetterTopic, mine),
      );
      if (sent?.owned.length !== letters.length) return; // not committed: the new owner reads and dead-letters them
    }
    metrics.recordsSkipped.inc(result.skipped.length);
    if (undecodable > 0) metrics.deadLettered.inc({ reason: 'undecodable' }, undecodable);
    if (result.rejected.length > 0) metrics.deadLettered.inc({ reason: 'refused_by_clickhouse' }, result.rejected.length);
    if (letters.length > 0) logger.warn({ count: letters.length, topic: deadLetterTopic }, 'messages dead-lettered');
    const stillOwned = owned.filter((pending) => statusOf(pending) === 'owned');
    try {
      await this.options.commit(nextOffsets(stillOwned));
    } catch (err) {
      // The rows are stored; a later commit covers these offsets, and a replay of them changes nothing.
      logger.warn({ err }, 'committing offsets failed');
    }
  }

  /**
   * Runs attempt on the items this instance still owns, retrying with backoff until it succeeds. Items of revoked
   * partitions are dropped before every attempt; while ownership is unsure it waits. undefined when nothing is left.
   */
  private async retrying<E, T>(
    what: string,
    items: E[],
    statusOf: (item: E) => OwnershipStatus,
    dropped: ((count: number) => void) | undefined,
    attempt: (owned: E[], fence: () => void) => Promise<T>,
  ): Promise<{ owned: E[]; value: T } | undefined> {
    let current = items;
    for (let failures = 0; ; ) {
      current = await this.owned(current, statusOf, dropped);
      if (current.length === 0) return undefined;
      const owned = current;
      try {
        const value = await attempt(owned, () => {
          if (owned.some((item) => statusOf(item) !== 'owned')) throw new Fenced('a partition of this write is no longer ours');
        });
        if (this.failing) this.options.logger.info({ failures }, `${what} works again`);
        this.failing = undefined;
        return { owned, value };
      } catch (err) {
        if (err instanceof Fenced) continue;
        this.failing = `${what} failed: ${(err as Error).message}`;
        if (Date.now() >= this.giveUpAt) throw err;
        this.options.metrics.insertRetries.inc();
        if (failures % 10 === 0) this.options.logger.warn({ err, failures: failures + 1 }, `${what} failed; retrying`);
        if (owned.every((item) => statusOf(item) === 'revoked')) continue; // nothing left to retry: no backoff
        await sleep(Math.min(backoffMs(failures), Math.max(0, this.giveUpAt - Date.now())));
        failures++;
      }
    }
  }

  /** The items still ours: drops the revoked ones, waits while any is unsure. */
  private async owned<E>(items: E[], statusOf: (item: E) => OwnershipStatus, dropped?: (count: number) => void): Promise<E[]> {
    let current = items;
    for (;;) {
      const statuses = current.map(statusOf);
      const kept = current.filter((_, index) => statuses[index] !== 'revoked');
      if (kept.length < current.length) {
        dropped?.(current.length - kept.length);
        this.options.logger.info({ dropped: current.length - kept.length }, 'dropped work of partitions now owned by another instance');
      }
      if (!statuses.includes('unsure')) {
        if (this.failing === unsureReason) this.failing = undefined;
        return kept;
      }
      this.failing ??= unsureReason;
      if (Date.now() >= this.giveUpAt) throw new Error(unsureReason);
      await sleep(250);
      current = kept;
    }
  }
}
