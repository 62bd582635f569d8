// The Kafka side of call-state: the telephony-sessions topic read by the consumer group, each session's messages of a
// chunk decoded and applied in order (apply/session-processor.ts), offsets committed only after Redis holds the
// result. Several workers in one consumer group share the partitions; all state is in Redis, so a rebalance or a crash
// loses nothing (at-least-once delivery plus idempotent application). Messages that are no telephony notification are
// dead-lettered in the one format (platform's deadLetterMessage).
// kafkajs gives up on a consumer after some errors (e.g. "Failed to find group coordinator" while Kafka restarts); the
// platform's RestartingConsumer then builds a new one and joins again, with backoff, instead of exiting. /readyz says
// so meanwhile.

import type { PartyEvent } from '@callpulse/call-model';
import { decodeMessage } from '@callpulse/call-model';
import { headers } from '@callpulse/contracts';
import {
  deadLetterMessage,
  type IdempotentProducer,
  type Kafka,
  type KafkaMessage,
  type Logger,
  OffsetCommitter,
  processKeyedBatch,
  RestartingConsumer,
} from '@callpulse/platform';
import type { SessionProcessor } from '../apply/session-processor.js';
import type { CallStateMetrics } from '../metrics.js';
import type { EmissionGateWriter } from './emission-gate-writer.js';
import { BatchPulse, type PipelinePulse } from './pipeline-pulse.js';

export interface TelephonySessionsConsumerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  topic: string;
  deadLetterTopic: string;
  producer: Pick<IdempotentProducer, 'send'>;
  processor: SessionProcessor;
  concurrency: number;
  partitionsConcurrently: number;
  /** A fetch waits for this many bytes or fetchMaxWaitMs, whichever comes first. */
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  chunkSize: number;
  afterChunk: () => Promise<void>;
  /** How often applied offsets are committed. */
  commitIntervalMs: number;
  /** How long an applied offset waits before it may be committed (Redis' fsync interval and a margin). */
  commitDurableAfterMs: number;
  /** Called when this worker (re)joined the group: its partitions may have changed. */
  onRebalance: () => void;
  /** Where each applied batch's pulse goes (the alerts' NO_EVENTS and EVENTS_LATE); none: not written. */
  pulse?: PipelinePulse;
  /** This worker's emission gate entry: its fetches, joins and how far behind each partition is; none: not kept. */
  gate?: EmissionGateWriter;
  metrics: CallStateMetrics;
  logger: Logger;
}

/** Wait before the nth replacement of a consumer kafkajs gave up on: 1 s doubling to 30 s. */
const restartBackoffMs = (attempt: number) => Math.min(30000, 1000 * 2 ** attempt);

/** One worker's member of the call-state consumer group, with its committer and its dead letters. */
export class TelephonySessionsConsumer {
  private readonly consumer: RestartingConsumer;
  private readonly committer: OffsetCommitter;
  private stopping = false;
  private batchesInFlight = 0;
  private whenIdle: Array<() => void> = [];
  private lastHeartbeatMs = 0;

  constructor(private readonly options: TelephonySessionsConsumerOptions) {
    this.committer = new OffsetCommitter(() => this.consumer, options.logger, options.commitDurableAfterMs);
    this.consumer = new RestartingConsumer({
      kafka: options.kafka,
      config: {
        groupId: options.groupId,
        sessionTimeout: options.sessionTimeoutMs,
        heartbeatInterval: Math.floor(options.sessionTimeoutMs / 10),
        minBytes: options.fetchMinBytes,
        maxWaitTimeInMs: options.fetchMaxWaitMs,
        allowAutoTopicCreation: false,
      },
      backoffMs: restartBackoffMs,
      logger: options.logger,
      onHeartbeat: () => {
        this.lastHeartbeatMs = Date.now();
      },
      onFetch: () => options.gate?.fetched(),
      onJoin: (assigned) => {
        this.lastHeartbeatMs = Date.now();
        options.gate?.joined(assigned[options.topic] ?? []);
        this.committer.keepOnly((topic, partition) => assigned[topic]?.includes(partition) ?? false);
        options.onRebalance();
        options.metrics.rebalances.inc();
      },
      onReplacing: () => {
        options.metrics.consumerRestarts.inc();
        options.onRebalance(); // whatever this worker cached may belong to partitions it will not get back
      },
      run: (consumer, current) =>
        consumer.subscribe({ topic: options.topic, fromBeginning: true }).then(() =>
          consumer.run({
            eachBatchAutoResolve: false,
            autoCommit: false, // the committer commits on a timer (platform's kafka/offset-committer.ts)
            // Partitions are independent (a session lives on one): a slow batch of one must not hold up the others.
            partitionsConsumedConcurrently: options.partitionsConcurrently,
            eachBatch: (payload) => {
              const pulse = new BatchPulse();
              const { batch } = payload;
              return this.tracked(() =>
                processKeyedBatch(payload, {
                  concurrency: options.concurrency,
                  chunkSize: options.chunkSize,
                  handleKey: (key, messages, from) => this.handleSession(key, messages, from, pulse),
                  // The pulse of the chunk just applied: one write, not awaited.
                  afterChunk: () => {
                    void options.pulse?.write(pulse.take());
                    return options.afterChunk();
                  },
                  isStopping: () => this.stopping || !current(),
                  onApplied: (topic, partition, nextOffset) => {
                    if (!current()) return;
                    this.committer.record(topic, partition, nextOffset);
                    // The whole batch applied: the partition is as far behind as its lag when fetched says.
                    if (BigInt(nextOffset) > BigInt(batch.lastOffset()))
                      options.gate?.applied(partition, Number(batch.offsetLag()), Number(batch.messages.at(-1)?.timestamp ?? 0));
                  },
                  onHeartbeatFailed: () => this.committer.commit(),
                }),
              );
            },
          }),
        ),
    });
  }

  /** true while a member of the group that heartbeats; otherwise why not (for /readyz). */
  get ready(): true | string {
    const down = this.consumer.notConsuming;
    if (down) return down;
    const silentMs = Date.now() - this.lastHeartbeatMs;
    if (silentMs > Math.max(this.options.sessionTimeoutMs, 10000))
      return `no heartbeat to the Kafka group for ${Math.round(silentMs / 1000)} s`;
    return true;
  }

  async start(): Promise<void> {
    this.committer.start(this.options.commitIntervalMs);
    try {
      await this.consumer.start();
    } catch (err) {
      this.options.logger.error({ err }, 'starting the Kafka consumer failed; retrying');
      this.consumer.restartAfter(err as Error);
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
    this.consumer.pause(this.options.topic);
    if (this.batchesInFlight > 0) await new Promise<void>((resolve) => this.whenIdle.push(resolve));
    this.committer.stop();
    await this.committer
      .commitAll()
      .catch((err: unknown) => this.options.logger.error({ err }, 'final offset commit failed; the next owner applies those events again'));
    await this.consumer.stop();
  }

  private async handleSession(
    key: string,
    messages: KafkaMessage[],
    from: { topic: string; partition: number },
    pulse: BatchPulse,
  ): Promise<void> {
    const stopTimer = this.options.metrics.sessionApplySeconds.startTimer();
    const events: PartyEvent[] = [];
    const receivedAt: Array<string | undefined> = [];
    for (const message of messages) {
      const decoded = decodeMessage(message);
      if (decoded.ok) {
        events.push(...decoded.events);
        receivedAt.push(message.headers?.[headers.receivedAt]?.toString());
      } else await this.deadLetter(message, from, decoded.error);
    }
    if (events.length === 0) return;
    const outcome = await this.options.processor.apply(key, events);
    const nowMs = Date.now();
    // The pulse: every event received counts as heard; the delay only of events applied (not a long-ended session's).
    // The live delay: of the webhooks of an apply that changed the session (a replay's old receipt times stay out).
    for (const received of receivedAt) {
      pulse.note(received, [], nowMs);
      const receivedMs = Number(received ?? Number.NaN);
      if (outcome === 'applied' && Number.isFinite(receivedMs))
        this.options.metrics.liveDelay.observe(Math.max(0, nowMs - receivedMs) / 1000);
    }
    if (outcome !== 'closed')
      pulse.note(
        undefined,
        events.map((event) => event.eventTimeMs),
        nowMs,
      );
    if (outcome === 'closed') {
      this.options.metrics.events.inc({ outcome: 'closed' }, events.length);
      for (const message of messages) await this.deadLetter(message, from, `session ${key} ended longer ago than the retention window`);
    }
    stopTimer();
  }

  private async deadLetter(message: KafkaMessage, from: { topic: string; partition: number }, reason: string): Promise<void> {
    this.options.metrics.events.inc({ outcome: 'invalid' });
    this.options.logger.warn({ reason: reason.slice(0, 300), offset: message.offset }, 'dead-lettering a message');
    await this.options.producer.send({ topic: this.options.deadLetterTopic, messages: [deadLetterMessage({ message, from, reason })] });
  }
}
