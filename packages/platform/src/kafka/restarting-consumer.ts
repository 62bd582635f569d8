// A Kafka group consumer that outlives kafkajs giving up on it. kafkajs ends a consumer after some errors (e.g. "Failed
// to find group coordinator" while Kafka restarts: a CRASH without restart); this builds a new one and joins again,
// with backoff, until one runs or stop() is called, and never exits the process for it. Events of a consumer that was
// replaced are ignored, so a late event of an old consumer cannot change the state of the new one.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { PartitionOffset } from './offsets.js';

export interface RestartingConsumerOptions {
  kafka: Pick<Kafka, 'consumer'>;
  config: ConsumerConfig;
  /**
   * Subscribes and runs a freshly created consumer (connect is done). `current()` is true while it is the one in use:
   * its eachBatch should stop handing on work once it is false.
   */
  run: (consumer: Consumer, current: () => boolean) => Promise<void>;
  /** Wait before replacement attempt `attempt` (0 for the first since the last join). */
  backoffMs: (attempt: number) => number;
  /** The current consumer joined the group with these partitions per topic. */
  onJoin?: (assignment: Record<string, number[]>) => void;
  onHeartbeat?: () => void;
  /** The current consumer fetched (kafkajs' FETCH: after every fetch request, empty ones too). */
  onFetch?: () => void;
  /** The group began to rebalance (the partitions may go to others). */
  onRebalancing?: () => void;
  /** The current consumer crashed (`restart`: kafkajs rejoins by itself; otherwise it is replaced). */
  onCrash?: (error: Error, restart: boolean) => void;
  /** A new consumer is about to replace one kafkajs gave up on: whatever was cached for the old one's partitions goes. */
  onReplacing?: (attempt: number) => void;
  /** A replacement runs. */
  onReplaced?: (attempt: number) => void;
  logger: Logger;
}

export class RestartingConsumer {
  private current: Consumer | undefined;
  private member = false;
  private crash: string | undefined;
  private replacing: { attempt: number; error: string } | undefined;
  private replacements: Promise<void> | undefined;
  private failedAgain: Error | undefined;
  /** Replacement attempts since the last join. */
  private attempts = 0;
  /** Set by pause(): the service is stopping, so a consumer that fails is not replaced any more. */
  private paused = false;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(private readonly options: RestartingConsumerOptions) {}

  /** The consumer in use (undefined while one is being replaced). */
  get consumer(): Consumer | undefined {
    return this.current;
  }

  /**
   * undefined while a member of the group; otherwise why not, as "summary: detail" for /readyz (the summary is the
   * text before the first ": ").
   */
  get notConsuming(): string | undefined {
    if (this.replacing) return `Kafka consumer down: attempt ${this.replacing.attempt} to replace it; last error: ${this.replacing.error}`;
    if (this.crash) return `Kafka consumer crashed: kafkajs rejoins the group; the error: ${this.crash}`;
    if (!this.member) return 'not a member of the consumer group (yet): joining';
    return undefined;
  }

  /** Creates and runs the first consumer; throws when that fails (then restartAfter() keeps trying, or stop()). */
  async start(): Promise<void> {
    await this.create();
  }

  /** Commits offsets with the consumer in use; throws while there is none (being replaced). */
  async commitOffsets(offsets: PartitionOffset[]): Promise<void> {
    if (!this.current) throw new Error('no Kafka consumer at the moment');
    await this.current.commitOffsets(offsets);
  }

  /** Replaces the consumer after `cause`, with backoff, until one runs or stop() is called. */
  restartAfter(cause: Error): void {
    if (this.paused) return;
    if (this.replacements) {
      this.failedAgain = cause; // crashed while being created: the loop goes round once more
      return;
    }
    this.replacements = this.replaceUntilRunning(cause).finally(() => {
      this.replacements = undefined;
    });
  }

  /**
   * The first step of stopping: fetching of the topic pauses (what was fetched is still handed on, and offsets can
   * still be committed) and a consumer that fails is no longer replaced. stop() follows.
   */
  pause(topic: string): void {
    this.paused = true;
    this.stopping.abort();
    try {
      this.current?.pause([{ topic }]);
    } catch {
      // not running (being replaced): nothing to pause
    }
  }

  /** No more replacements; waits for one in flight to end (up to 5 s) and disconnects, leaving the group. */
  async stop(): Promise<void> {
    this.paused = true;
    this.stopped = true;
    this.stopping.abort();
    await Promise.race([this.replacements, sleep(5000)]);
    const last = this.current;
    this.member = false;
    await last?.disconnect();
  }

  private async create(): Promise<void> {
    const { options } = this;
    const created = options.kafka.consumer(options.config);
    const current = () => this.current === created && !this.stopped;
    created.on(created.events.GROUP_JOIN, ({ payload }) => {
      if (!current()) return;
      this.member = true;
      this.crash = undefined;
      this.attempts = 0;
      options.onJoin?.(payload.memberAssignment);
    });
    created.on(created.events.HEARTBEAT, () => {
      if (current()) options.onHeartbeat?.();
    });
    created.on(created.events.FETCH, () => {
      if (current()) options.onFetch?.();
    });
    created.on(created.events.REBALANCING, () => {
      if (current()) options.onRebalancing?.();
    });
    created.on(created.events.CRASH, ({ payload }) => {
      if (this.current !== created) return;
      this.member = false;
      options.logger.error({ err: payload.error, restart: payload.restart }, 'Kafka consumer crashed');
      options.onCrash?.(payload.error, payload.restart);
      // With restart: true kafkajs rejoins by itself; otherwise this consumer is finished: build a new one.
      if (payload.restart) this.crash = payload.error.message;
      else this.restartAfter(payload.error);
    });
    this.current = created;
    await created.connect();
    await options.run(created, current);
  }

  private async replaceUntilRunning(cause: Error): Promise<void> {
    const { options } = this;
    let error: Error | undefined = cause;
    while (error && !this.paused) {
      const attempt = ++this.attempts;
      this.replacing = { attempt, error: error.message };
      const old = this.current;
      this.current = undefined;
      this.member = false;
      this.crash = undefined;
      await old?.disconnect().catch(() => undefined);
      const waitMs = Math.round(options.backoffMs(attempt - 1));
      options.logger.warn({ attempt, err: error, waitMs }, 'replacing the Kafka consumer');
      options.onReplacing?.(attempt);
      await sleep(waitMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      if (this.paused) break;
      this.failedAgain = undefined;
      try {
        await this.create();
        error = this.failedAgain;
      } catch (err) {
        error = err as Error;
      }
      if (!error && !this.paused) {
        options.logger.info({ attempt }, 'Kafka consumer replaced');
        options.onReplaced?.(attempt);
      }
    }
    this.replacing = undefined;
  }
}
