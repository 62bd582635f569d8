// Produces webhook notifications to Kafka in batches: concurrent requests that arrive within a short linger share
// one send. Each caller's promise settles when Kafka acknowledged its message (acks=all, idempotent producer).
// While Kafka is unreachable callers fail fast (KafkaUnavailableError) instead of waiting, and one attempt per
// probe interval finds out when it is back.

import type { Logger } from '@callpulse/shared';
import { type Kafka, type Message, Partitioners, type Producer } from '@callpulse/shared';

export class KafkaUnavailableError extends Error {
  constructor(reason: string) {
    super(`Kafka is unavailable: ${reason}`);
    this.name = 'KafkaUnavailableError';
  }
}

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface BatchingProducerOptions {
  lingerMs: number;
  maxBatchMessages: number;
  sendTimeoutMs: number;
  probeIntervalMs: number;
  logger: Logger;
  onBatch?: (size: number, seconds: number, ok: boolean) => void;
}

export class BatchingProducer {
  private producer: Producer;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private lastFailureAt = 0;
  private lastFailure = '';
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchingProducerOptions,
  ) {
    this.producer = this.createProducer();
  }

  get healthy(): boolean {
    return this.lastFailureAt === 0;
  }

  get unhealthyReason(): string {
    return this.lastFailure;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  send(topic: string, message: Message): Promise<void> {
    if (this.closed) return Promise.reject(new KafkaUnavailableError('the service is shutting down'));
    if (!this.healthy && Date.now() - this.lastFailureAt < this.options.probeIntervalMs) {
      return Promise.reject(new KafkaUnavailableError(this.lastFailure));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, message, resolve, reject });
      if (this.queue.length >= this.options.maxBatchMessages) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  /** Marks Kafka reachable again after an out-of-band check (e.g. /readyz) succeeded. */
  markReachable(): void {
    this.lastFailureAt = 0;
    this.lastFailure = '';
  }

  /** Sends what is queued, waits for every send in flight, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    await Promise.allSettled([...this.inFlight]);
    await this.producer.disconnect().catch(() => undefined);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const sending = this.sendBatch(batch).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    const started = process.hrtime.bigint();
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }),
        new Promise((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no acknowledgement within ${this.options.sendTimeoutMs} ms`)),
            this.options.sendTimeoutMs,
          );
        }),
      ]);
      this.markReachable();
      this.options.onBatch?.(batch.length, seconds(started), true);
      for (const pending of batch) pending.resolve();
    } catch (err) {
      const reason = (err as Error).message;
      if (this.healthy) this.options.logger.error({ err }, 'producing to Kafka failed; answering 503 until it is back');
      this.lastFailureAt = Date.now();
      this.lastFailure = reason;
      this.options.onBatch?.(batch.length, seconds(started), false);
      for (const pending of batch) pending.reject(new KafkaUnavailableError(reason));
      this.replaceProducer();
    } finally {
      clearTimeout(timeout);
    }
  }

  /** A failed idempotent producer may be stuck (sequence errors, dead connections): start afresh. */
  private replaceProducer(): void {
    const old = this.producer;
    this.producer = this.createProducer();
    old.disconnect().catch(() => undefined);
    if (!this.closed) this.producer.connect().catch(() => undefined);
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
