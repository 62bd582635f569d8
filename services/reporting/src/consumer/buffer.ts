// Messages fetched from Kafka and not yet written: the flusher takes them in batches and marks each one finished
// (written and committed, dropped, or given up); eachBatch waits until the messages it added are finished, which is
// what pauses consumption while ClickHouse is slow or down, and what keeps kafkajs from rejoining the group while a
// write of this instance is still on its way.
import type { KafkaMessage } from '@callpulse/platform';
import type { Decoded } from '../records/decode.js';

export interface Pending {
  topic: string;
  partition: number;
  /** The ownership epoch it was fetched in (ownership.ts): written and committed only while that epoch lasts. */
  epoch: number;
  message: KafkaMessage;
  decoded: Decoded;
  /** Marks it finished; idempotent. */
  finish: () => void;
}

/** What eachBatch hands over: the message and its decoding; `finish` is added here. */
export type Fetched = Omit<Pending, 'finish'>;

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

  /** Adds messages; resolves when every one of them is finished. */
  add(fetched: Fetched[]): Promise<void> {
    if (fetched.length === 0) return Promise.resolve();
    let remaining = fetched.length;
    let resolve = () => {};
    const finished = new Promise<void>((done) => {
      resolve = done;
    });
    const entries = fetched.map((item) => {
      let open = true;
      const finish = () => {
        if (!open) return;
        open = false;
        if (--remaining === 0) resolve();
      };
      return { ...item, finish };
    });
    if (this.entries.length === 0) this.oldestAt = Date.now();
    this.entries.push(...entries);
    this.notify();
    return finished;
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
    for (const entry of this.entries) entry.finish();
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
