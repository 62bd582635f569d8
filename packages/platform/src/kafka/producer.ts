// An idempotent Kafka producer that is safe to share: ONE send in flight, and a fresh producer after a failed send.
//
// Why: kafkajs gives a batch its partition's sequence numbers under a per-broker lock and rolls them back when the
// request fails. If the broker had appended the failed batch after all (the connection broke before the answer came,
// as in a Kafka restart), a second send queued behind the lock gets the same first sequence: with as many messages the
// broker takes it for a retry of the first and acknowledges it without writing it (an acknowledged message lost); with
// a different count it answers OUT_OF_ORDER_SEQUENCE_NUMBER. With one send in flight, kafkajs' own retry of the failed
// batch is the only request with that sequence (a true duplicate, deduplicated by the broker). And after a failure the
// producer (its producer id, its sequences) is replaced before anything else is sent.
import type { Kafka, Producer, ProducerConfig, TopicMessages } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Logger } from '../logger.js';
import { untilDeadline } from './deadline.js';

export interface IdempotentProducerOptions {
  logger: Logger;
  /** kafkajs' retries of one request (default: the client's). */
  retry?: ProducerConfig['retry'];
  /** Topics are created by the services (ensureTopics); a send to a missing topic fails instead of creating it. */
  allowAutoTopicCreation?: boolean;
}

export interface SendOptions {
  /**
   * Epoch ms by which Kafka must have acknowledged (connecting included). The send fails then, and the producer is
   * replaced at once: the next send does not wait for the abandoned one.
   */
  deadline?: number;
}

export class IdempotentProducer {
  private producer: Producer;
  private connected: Promise<void> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private replacements = 0;
  private lastFailure: string | undefined;

  constructor(
    private readonly kafka: Pick<Kafka, 'producer'>,
    private readonly options: IdempotentProducerOptions,
  ) {
    this.producer = this.create();
  }

  /** Why the last send failed, until a send succeeds again; undefined while sends work. */
  get failing(): string | undefined {
    return this.lastFailure;
  }

  /** How many times the producer was replaced after a failed send. */
  get producerReplacements(): number {
    return this.replacements;
  }

  /** Connects the current producer once (again after a failed attempt). */
  connect(): Promise<void> {
    const producer = this.producer;
    this.connected ??= producer.connect().catch((err: unknown) => {
      if (this.producer === producer) this.connected = undefined;
      throw err;
    });
    return this.connected;
  }

  /** Sends to one topic after every earlier send settled; resolves when Kafka acknowledged (acks=all). */
  send(record: TopicMessages, options: SendOptions = {}): Promise<void> {
    return this.sendBatch([record], options);
  }

  /** Sends to several topics in one request, after every earlier send settled. */
  sendBatch(topicMessages: TopicMessages[], options: SendOptions = {}): Promise<void> {
    const run = this.tail.then(() => this.sendNow(topicMessages, options.deadline));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Waits for the sends queued so far, then disconnects. */
  async disconnect(): Promise<void> {
    await this.tail;
    await this.producer.disconnect().catch(() => undefined);
  }

  private async sendNow(topicMessages: TopicMessages[], deadline: number | undefined): Promise<void> {
    const producer = this.producer;
    const sending = this.connect().then(() => producer.sendBatch({ acks: -1, topicMessages }));
    try {
      await untilDeadline(sending, deadline);
      if (this.lastFailure !== undefined) this.options.logger.info('Kafka sends work again');
      this.lastFailure = undefined;
    } catch (err) {
      // Once per failure streak: during an outage every send fails.
      if (this.lastFailure === undefined) {
        const topics = topicMessages.map(({ topic }) => topic);
        this.options.logger.error({ err, topics }, 'a Kafka send failed; replacing the producer before the next send');
      }
      this.lastFailure = (err as Error).message;
      this.replace();
      throw err;
    }
  }

  /** A producer whose send failed may hold sequence numbers the broker already used: start afresh with a new id. */
  private replace(): void {
    const old = this.producer;
    this.producer = this.create();
    this.connected = undefined;
    this.replacements++;
    old.disconnect().catch(() => undefined);
  }

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: this.options.allowAutoTopicCreation ?? false,
      createPartitioner: Partitioners.DefaultPartitioner,
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
  }
}
