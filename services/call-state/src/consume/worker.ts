// The consumer loop: telephony-session notifications from Kafka, applied per session in order, offsets committed
// only after Redis holds the result. Several workers in one consumer group share the partitions; all state is in
// Redis, so a rebalance or a crash loses nothing (at-least-once delivery plus idempotent application).
import { type Consumer, headers, type Kafka, type KafkaMessage, type Logger, type Producer } from '@callpulse/shared';
import type { PartyEvent } from '../domain/index.js';
import { processKeyedBatch } from '../kafka/keyed-batch.js';
import { OffsetCommitter } from '../kafka/offset-committer.js';
import type { CallStateMetrics } from '../metrics.js';
import { decodeMessage } from './notifications.js';
import type { SessionProcessor } from './session-processor.js';

export interface WorkerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  topic: string;
  deadLetterTopic: string;
  producer: Producer;
  processor: SessionProcessor;
  concurrency: number;
  partitionsConcurrently: number;
  chunkSize: number;
  afterChunk: () => Promise<void>;
  /** How often applied offsets are committed. */
  commitIntervalMs: number;
  /** Called when this worker (re)joined the group: its partitions may have changed. */
  onRebalance: () => void;
  metrics: CallStateMetrics;
  logger: Logger;
}

export class Worker {
  readonly consumer: Consumer;
  private readonly committer: OffsetCommitter;
  private joined = false;
  private stopping = false;
  private batchesInFlight = 0;
  private whenIdle: Array<() => void> = [];

  constructor(private readonly options: WorkerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.floor(options.sessionTimeoutMs / 10),
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.committer = new OffsetCommitter(this.consumer, options.logger);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      const assigned = payload.memberAssignment;
      this.committer.keepOnly((topic, partition) => assigned[topic]?.includes(partition) ?? false);
      options.onRebalance();
      options.metrics.rebalances.inc();
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      // kafkajs does not restart after a non-retriable error: exit, and let the supervisor restart the process.
      if (!event.payload.restart) {
        options.logger.fatal({ err: event.payload.error }, 'Kafka consumer crashed');
        process.exit(70);
      }
    });
  }

  get ready(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    this.committer.start(this.options.commitIntervalMs);
    await this.consumer.run({
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
            isStopping: () => this.stopping,
            onApplied: (topic, partition, nextOffset) => this.committer.record(topic, partition, nextOffset),
            onHeartbeatFailed: () => this.committer.commit(),
          }),
        ),
    });
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
   * Stops fetching, lets the batches in flight finish their current chunk, commits what was applied while the
   * partitions are still this worker's, and leaves the group.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.consumer.pause([{ topic: this.options.topic }]);
    if (this.batchesInFlight > 0) await new Promise<void>((resolve) => this.whenIdle.push(resolve));
    this.committer.stop();
    await this.committer
      .commit()
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
    this.options.logger.warn({ reason, offset: message.offset }, 'dead-lettering a message');
    await this.options.producer.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers: { ...message.headers, [headers.deadLetterReason]: reason } }],
    });
  }
}
