// Produces messages to Kafka in batches over one IdempotentSender (@platformatic/kafka: ONE send in flight, a fresh
// producer after a failure): requests that arrive during a linger, or while a send is in flight, share the next send. Each
// caller's promise settles when Kafka acknowledged its message (acks=all) or when its deadline passed. When a send
// fails for good or passes its deadline, it and everything queued behind it fail together (the callers keep their
// order, e.g. into the spool).

import { IdempotentSender, type KafkaConnection, type Logger, type Message } from '@callpulse/platform';

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
   * Bytes (keys, values, headers) per send at most, one message always: the client puts a partition's messages in one
   * record batch, and Kafka refuses a batch over its message.max.bytes (1 MiB by default), failing every message in it.
   */
  maxBatchBytes?: number;
  /** Default time from send() to Kafka's acknowledgement before the message fails. */
  sendTimeoutMs: number;
  logger: Logger;
  onBatch?: (size: number, seconds: number, ok: boolean) => void;
}

export class BatchingProducer {
  private readonly producer: IdempotentSender;
  private queue: Pending[] = [];
  private linger: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  private queuedBytes = 0;
  private readonly maxBatchBytes: number;

  constructor(
    connection: KafkaConnection,
    private readonly options: BatchingProducerOptions,
  ) {
    this.producer = new IdempotentSender(connection, { logger: options.logger, retries: 2, retryDelayMs: 100 });
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  }

  /** False after a failed send, until a send succeeds again. */
  get healthy(): boolean {
    return this.producer.failing === undefined;
  }

  get unhealthyReason(): string {
    return this.producer.failing ?? '';
  }

  /** How many times the producer was replaced after a failure. */
  get producerReplacements(): number {
    return this.producer.producerReplacements;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
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
    await this.producer.disconnect();
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
    const started = process.hrtime.bigint();
    const deadline = Math.min(...batch.map((pending) => pending.deadline));
    try {
      await this.producer.send(batch, { deadline });
      this.options.onBatch?.(batch.length, seconds(started), true);
      for (const pending of batch) pending.resolve();
    } catch (err) {
      this.options.onBatch?.(batch.length, seconds(started), false);
      this.fail(batch, err as Error);
    }
  }

  /** The batch and everything queued behind it fail, in order (the producer replaced itself). */
  private fail(batch: Pending[], err: Error): void {
    const queued = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    clearTimeout(this.linger);
    this.linger = undefined;
    const error = new KafkaUnavailableError(err.message);
    for (const pending of [...batch, ...queued]) pending.reject(error);
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
