// Messages fetched from Kafka and not yet written: the flusher takes them in batches; eachBatch waits here for room,
// which is what pauses consumption while ClickHouse is slow or down.
import type { KafkaMessage } from '@callpulse/shared';
import type { Decoded } from '../records/decode.js';

export interface Pending {
  topic: string;
  partition: number;
  message: KafkaMessage;
  decoded: Decoded;
}

export class PendingMessages {
  private entries: Pending[] = [];
  private oldestAt: number | undefined;
  private listeners = new Set<() => void>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.length;
  }

  /** When the oldest waiting message arrived (ms), or undefined when empty. */
  get oldestArrival(): number | undefined {
    return this.oldestAt;
  }

  get full(): boolean {
    return this.entries.length >= this.capacity;
  }

  add(entries: Pending[]): void {
    if (entries.length === 0) return;
    if (this.entries.length === 0) this.oldestAt = Date.now();
    this.entries.push(...entries);
    this.notify();
  }

  /** Removes and returns up to `max` messages, oldest first. */
  take(max: number): Pending[] {
    const taken = this.entries.splice(0, max);
    this.oldestAt = this.entries.length > 0 ? Date.now() : undefined;
    this.notify();
    return taken;
  }

  /** Drops what waits (after a rebalance Kafka hands those messages out again from the committed offsets). */
  clear(): number {
    const dropped = this.entries.length;
    this.entries = [];
    this.oldestAt = undefined;
    this.notify();
    return dropped;
  }

  /** Wakes whoever waits in changed(), e.g. the flusher when it should stop. */
  wake(): void {
    this.notify();
  }

  /** Resolves at the next add/take/clear/wake, or after timeoutMs. */
  changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.listeners.add(done);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
