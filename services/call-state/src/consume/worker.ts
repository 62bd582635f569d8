// The consumer loop: telephony-session notifications from Kafka, applied per session in order, offsets committed
// only after Redis holds the result. Several workers in one consumer group share the partitions; all state is in
// Redis, so a rebalance or a crash loses nothing (at-least-once delivery plus idempotent application).
// kafkajs gives up on a consumer after some errors (e.g. "Failed to find group coordinator" while Kafka restarts); the
// worker then builds a new consumer and joins again, with backoff, instead of exiting. /readyz says so meanwhile.
import { headers } from '@callpulse/contracts';
import type { Consumer, Kafka, KafkaMessage, Logger } from '@callpulse/platform';
import type { PartyEvent } from '../domain/index.js';
import { processKeyedBatch } from '../kafka/keyed-batch.js';
import { OffsetCommitter } from '../kafka/offset-committer.js';
import type { SerialProducer } from '../kafka/serial-producer.js';
import type { CallStateMetrics } from '../metrics.js';
import { decodeMessage } from './notifications.js';
import type { SessionProcessor } from './session-processor.js';

export interface WorkerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  topic: string;
  deadLetterTopic: string;
  producer: Pick<SerialProducer, 'send'>;
  processor: SessionProcessor;
  concurrency: number;
  partitionsConcurrently: number;
  chunkSize: number;
  afterChunk: () => Promise<void>;
  /** How often applied offsets are committed. */
  commitIntervalMs: number;
  /** How long an applied offset waits before it may be committed (Redis' fsync interval and a margin). */
  commitDurableAfterMs: number;
  /** Called when this worker (re)joined the group: its partitions may have changed. */
  onRebalance: () => void;
  metrics: CallStateMetrics;
  logger: Logger;
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30000;

export class Worker {
  private consumer: Consumer;
  private readonly committer: OffsetCommitter;
  private joined = false;
  private stopping = false;
  private batchesInFlight = 0;
  private whenIdle: Array<() => void> = [];
  private restartAttempts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private lastCrash: string | undefined;
  private lastHeartbeatMs = 0;

  constructor(private readonly options: WorkerOptions) {
    this.committer = new OffsetCommitter(() => this.consumer, options.logger, options.commitDurableAfterMs);
    this.consumer = this.createConsumer();
  }

  /** true while a member of the group that heartbeats; otherwise why not (for /readyz). */
  get ready(): true | string {
    if (!this.joined) {
      return this.lastCrash ? `the Kafka consumer is restarting: ${this.lastCrash}` : 'not yet a member of the consumer group';
    }
    const silentMs = Date.now() - this.lastHeartbeatMs;
    if (silentMs > Math.max(this.options.sessionTimeoutMs, 10000))
      return `no heartbeat to the Kafka group for ${Math.round(silentMs / 1000)} s`;
    return true;
  }

  private createConsumer(): Consumer {
    const { options } = this;
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.floor(options.sessionTimeoutMs / 10),
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      if (consumer === this.consumer) this.lastHeartbeatMs = Date.now();
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (consumer !== this.consumer) return;
      this.joined = true;
      this.lastHeartbeatMs = Date.now();
      this.restartAttempts = 0;
      this.lastCrash = undefined;
      const assigned = payload.memberAssignment;
      this.committer.keepOnly((topic, partition) => assigned[topic]?.includes(partition) ?? false);
      options.onRebalance();
      options.metrics.rebalances.inc();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (consumer !== this.consumer) return;
      options.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'Kafka consumer crashed');
      this.joined = false;
      this.lastCrash = event.payload.error.message;
      // With restart: true kafkajs rejoins by itself; otherwise this consumer is finished: build a new one.
      if (!event.payload.restart) this.scheduleRestart();
    });
    return consumer;
  }

  async start(): Promise<void> {
    this.committer.start(this.options.commitIntervalMs);
    try {
      await this.run(this.consumer);
    } catch (err) {
      this.lastCrash = (err as Error).message;
      this.options.logger.error({ err }, 'starting the Kafka consumer failed; retrying');
      this.scheduleRestart();
    }
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: false, // the committer commits on a timer (see kafka/offset-committer.ts)
      // Partitions are independent (a session lives on one): a slow batch of one must not hold up the others.
      partitionsConsumedConcurrently: this.options.partitionsConcurrently,
      eachBatch: (payload) =>
        this.tracked(() =>
          processKeyedBatch(payload, {
            concurrency: this.options.concurrency,
            chunkSize: this.options.chunkSize,
            handleKey: (key, messages) => this.handleSession(key, messages),
            afterChunk: this.options.afterChunk,
            isStopping: () => this.stopping || consumer !== this.consumer,
            onApplied: (topic, partition, nextOffset) => {
              if (consumer === this.consumer) this.committer.record(topic, partition, nextOffset);
            },
            onHeartbeatFailed: () => this.committer.commit(),
          }),
        ),
    });
  }

  /** Replaces a consumer kafkajs gave up on, after a backoff that grows with each failed attempt. */
  private scheduleRestart(): void {
    if (this.stopping || this.restartTimer) return;
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** this.restartAttempts);
    this.restartAttempts += 1;
    this.options.logger.warn({ delayMs: delay, attempt: this.restartAttempts }, 'recreating the Kafka consumer');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart();
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    const old = this.consumer;
    this.consumer = this.createConsumer();
    this.options.metrics.consumerRestarts.inc();
    this.options.onRebalance(); // whatever this worker cached may belong to partitions it will not get back
    await old.disconnect().catch(() => undefined);
    try {
      await this.run(this.consumer);
    } catch (err) {
      this.lastCrash = (err as Error).message;
      this.options.logger.error({ err }, 'recreating the Kafka consumer failed; retrying');
      this.scheduleRestart();
    }
  }

  private async tracked(batch: () => Promise<void>): Promise<void> {
    this.batchesInFlight += 1;
    try {
      await batch();
    } finally {
      this.batchesInFlight -= 1;
      if (this.batchesInFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
    }
  }

  /**
   * Stops fetching, lets the batches in flight finish their current chunk, commits what was applied (once durable)
   * while the partitions are still this worker's, and leaves the group.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    try {
      this.consumer.pause([{ topic: this.options.topic }]);
    } catch {
      // not running (e.g. restarting): nothing to pause
    }
    if (this.batchesInFlight > 0) await new Promise<void>((resolve) => this.whenIdle.push(resolve));
    this.committer.stop();
    await this.committer
      .commitAll()
      .catch((err: unknown) => this.options.logger.error({ err }, 'final offset commit failed; the next owner applies those events again'));
    await this.consumer.disconnect();
  }

  private async handleSession(key: string, messages: KafkaMessage[]): Promise<void> {
    const stopTimer = this.options.metrics.batchSeconds.startTimer();
    const events: PartyEvent[] = [];
    for (const message of messages) {
      const decoded = decodeMessage(message);
      if (decoded.ok) events.push(...decoded.events);
      else await this.deadLetter(message, decoded.error);
    }
    if (events.length === 0) return;
    const outcome = await this.options.processor.apply(key, events);
    if (outcome === 'closed') {
      this.options.metrics.events.inc({ outcome: 'closed' }, events.length);
      for (const message of messages) await this.deadLetter(message, `session ${key} ended longer ago than the retention window`);
    }
    stopTimer();
  }

  private async deadLetter(message: KafkaMessage, reason: string): Promise<void> {
    this.options.metrics.events.inc({ outcome: 'invalid' });
    this.options.logger.warn({ reason: reason.slice(0, 300), offset: message.offset }, 'dead-lettering a message');
    await this.options.producer.send({
      topic: this.options.deadLetterTopic,
      messages: [{ key: message.key, value: message.value, headers: { ...message.headers, [headers.deadLetterReason]: reason } }],
    });
  }
}
