// Produces messages to Kafka in batches over ONE idempotent producer with ONE send in flight: requests that arrive
// during a linger, or while a send is in flight, share the next send. Each caller's promise settles when Kafka
// acknowledged its message (acks=all) or when its deadline passed.
//
// Why one send at a time: kafkajs gives a batch its partition's sequence numbers under a per-broker lock and rolls
// them back when the request fails. If the broker had appended the failed batch after all (the connection broke
// before the answer came), a second send queued behind the lock gets the same first sequence: with as many messages
// the broker takes it for a retry of the first and acknowledges it without writing it (an acknowledged message
// lost); with a different count it answers OUT_OF_ORDER_SEQUENCE_NUMBER. With one send in flight, kafkajs' own
// retry of the failed batch is the only request with that sequence (a true duplicate, deduplicated by the broker).
// When a send fails for good or passes its deadline, it and everything queued behind it fail together (the callers
// keep their order, e.g. into the spool), and the producer is replaced (a new producer id, fresh sequences) before
// anything else is sent.

import type { Logger } from '@callpulse/platform';
import { type Kafka, type Message, Partitioners, type Producer } from '@callpulse/platform';

/** Well under Kafka's default message.max.bytes (1,048,588), leaving room for record and batch overhead. */
const DEFAULT_MAX_BATCH_BYTES = 900 * 1024;

function messageBytes(message: Message): number {
  let bytes = 64 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + String(value ?? '').length + 8;
  return bytes;
}

export class KafkaUnavailableError extends Error {
  constructor(reason: string) {
    super(`Kafka is unavailable: ${reason}`);
    this.name = 'KafkaUnavailableError';
  }
}

interface Pending {
  topic: string;
  message: Message;
  bytes: number;
  /** Epoch ms by which Kafka must have acknowledged the message. */
  deadline: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface BatchingProducerOptions {
  lingerMs: number;
  maxBatchMessages: number;
  /**
   * Bytes (keys, values, headers) per send at most, one message always: kafkajs puts a partition's messages in one
   * record batch, and Kafka refuses a batch over its message.max.bytes (1 MiB by default), failing every message in it.
   */
  maxBatchBytes?: number;
  /** Default time from send() to Kafka's acknowledgement before the message fails. */
  sendTimeoutMs: number;
  logger: Logger;
  onBatch?: (size: number, seconds: number, ok: boolean) => void;
}

export class BatchingProducer {
  private producer: Producer;
  private connected: Promise<void> | undefined;
  private queue: Pending[] = [];
  private linger: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastFailure = '';
  private failed = false;
  private closed = false;
  private replacements = 0;
  private queuedBytes = 0;
  private readonly maxBatchBytes: number;

  constructor(
    private readonly kafka: Pick<Kafka, 'producer'>,
    private readonly options: BatchingProducerOptions,
  ) {
    this.producer = this.createProducer();
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  }

  /** False after a failed send, until a send succeeds again. */
  get healthy(): boolean {
    return !this.failed;
  }

  get unhealthyReason(): string {
    return this.lastFailure;
  }

  /** How many times the producer was replaced after a failure. */
  get producerReplacements(): number {
    return this.replacements;
  }

  async connect(): Promise<void> {
    await this.ready();
  }

  /** Resolves once Kafka acknowledged the message; rejects with KafkaUnavailableError after a failure or timeoutMs. */
  send(topic: string, message: Message, timeoutMs = this.options.sendTimeoutMs): Promise<void> {
    if (this.closed) return Promise.reject(new KafkaUnavailableError('the service is shutting down'));
    return new Promise<void>((resolve, reject) => {
      const bytes = messageBytes(message);
      this.queue.push({ topic, message, bytes, deadline: Date.now() + timeoutMs, resolve, reject });
      this.queuedBytes += bytes;
      if (this.queue.length >= this.options.maxBatchMessages || this.queuedBytes >= this.maxBatchBytes) this.kick();
      else this.linger ??= setTimeout(() => this.kick(), this.options.lingerMs);
    });
  }

  /** Sends what is queued, waits until nothing is queued or in flight, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    this.kick();
    while (this.inFlight) await this.inFlight;
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Starts the next send unless one is in flight (it starts the next when it ends). */
  private kick(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    if (this.inFlight || this.queue.length === 0) return;
    let count = 0;
    let bytes = 0;
    for (const pending of this.queue) {
      if (count >= this.options.maxBatchMessages || (count > 0 && bytes + pending.bytes > this.maxBatchBytes)) break;
      count++;
      bytes += pending.bytes;
    }
    const batch = this.queue.splice(0, count);
    this.queuedBytes -= bytes;
    this.inFlight = this.sendBatch(batch).finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    const started = process.hrtime.bigint();
    const deadline = Math.min(...batch.map((pending) => pending.deadline));
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ready().then(() =>
          this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }),
        ),
        new Promise((_, reject) => {
          const waitMs = deadline - Date.now();
          timeout = setTimeout(() => reject(new Error(`no acknowledgement within the deadline (${waitMs} ms left at send)`)), waitMs);
        }),
      ]);
      this.failed = false;
      this.lastFailure = '';
      this.options.onBatch?.(batch.length, seconds(started), true);
      for (const pending of batch) pending.resolve();
    } catch (err) {
      this.options.onBatch?.(batch.length, seconds(started), false);
      this.fail(batch, err as Error);
    } finally {
      clearTimeout(timeout);
    }
  }

  /** The batch and everything queued behind it fail, in order; the producer is replaced before the next send. */
  private fail(batch: Pending[], err: Error): void {
    if (!this.failed) this.options.logger.error({ err }, 'producing to Kafka failed; replacing the producer');
    this.failed = true;
    this.lastFailure = err.message;
    const queued = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    clearTimeout(this.linger);
    this.linger = undefined;
    const error = new KafkaUnavailableError(err.message);
    for (const pending of [...batch, ...queued]) pending.reject(error);
    this.replaceProducer();
  }

  /** A producer whose send failed may hold sequence numbers the broker already used: start afresh with a new id. */
  private replaceProducer(): void {
    const old = this.producer;
    this.producer = this.createProducer();
    this.connected = undefined;
    this.replacements++;
    old.disconnect().catch(() => undefined);
  }

  /** Connects the current producer once (again after a failed attempt). */
  private ready(): Promise<void> {
    const producer = this.producer;
    this.connected ??= producer.connect().catch((err: unknown) => {
      if (this.producer === producer) this.connected = undefined;
      throw err;
    });
    return this.connected;
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
