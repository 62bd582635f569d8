// The hot paths' Kafka producer (ingest's webhooks, call-state's completed records; @platformatic/kafka: its record
// encoding and native CRC32C cost a quarter of kafkajs'): idempotent, acks=all, uncompressed, keys on kafkajs'
// partitions; ONE send in flight, and a fresh producer after a failed send or a missed deadline, before anything else
// is sent.
//
// Why one in flight and a fresh producer (as platform's IdempotentProducer does for kafkajs): the client advances a
// partition's sequence number only when the broker answered. If the broker appended a batch whose answer was lost (a
// Kafka restart, a broken connection) and the client gave up on it, the next batch would reuse its first sequence: with
// as many messages the broker takes it for a retry and acknowledges it without writing it (an acknowledged message
// lost); otherwise it answers OUT_OF_ORDER_SEQUENCE_NUMBER. The client's own retries of a request resend the same
// sequence (a true duplicate, which the broker drops), so they stay; after they are spent the producer id is replaced.
import type { MessageToProduce, Producer } from '@platformatic/kafka';
import type { Message } from 'kafkajs';
import type { Logger } from '../logger.js';
import { untilDeadline } from './deadline.js';
import type { SendOptions } from './producer.js';

type Outgoing = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;
type Client = Producer<Buffer, Buffer, Buffer, Buffer>;

/**
 * The client's modules, loaded on first use (once Kafka answered the topic check at start-up): they compile their
 * option validators as they load, about a second of CPU on a busy machine, which would otherwise delay a service's
 * start and a configuration error's exit (and every user of platform that never produces would pay it).
 */
let clientModules: Promise<[typeof import('@platformatic/kafka'), typeof import('./session-partitioner.js')]> | undefined;
const loadClient = () => (clientModules ??= Promise.all([import('@platformatic/kafka'), import('./session-partitioner.js')]));

export interface KafkaConnection {
  clientId: string;
  brokers: string[];
  /** Longest wait for a broker connection (ms). */
  connectTimeoutMs?: number;
  /** Longest wait for a broker's answer to one request (ms). */
  requestTimeoutMs?: number;
}

export interface IdempotentSenderOptions {
  logger: Logger;
  /** The client's retries of one request (each resends the same sequence numbers). */
  retries?: number;
  /** Pause before such a retry (ms). */
  retryDelayMs?: number;
}

export class IdempotentSender {
  /** The current producer, created on first use (and after a replacement, on the next use). */
  private producer: Promise<Client> | undefined;
  private connected: Promise<void> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private replacements = 0;
  private lastFailure: string | undefined;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly options: IdempotentSenderOptions,
  ) {}

  /** Why the last send failed, until a send succeeds again; undefined while sends work. */
  get failing(): string | undefined {
    return this.lastFailure;
  }

  /** How many times the producer was replaced after a failed send. */
  get producerReplacements(): number {
    return this.replacements;
  }

  /** Gets the current producer its id from Kafka once (again after a failed attempt): Kafka answers, or this rejects. */
  connect(): Promise<void> {
    const producer = this.current();
    this.connected ??= producer
      .then((client) => client.initIdempotentProducer({}))
      .then(
        () => undefined,
        (err: unknown) => {
          if (this.producer === producer) this.connected = undefined;
          throw failure(err);
        },
      );
    return this.connected;
  }

  /** send() of messages to one topic, in the shape platform's IdempotentProducer takes them. */
  sendTopic(record: { topic: string; messages: Message[] }, options: SendOptions = {}): Promise<void> {
    return this.send(
      record.messages.map((message) => ({ topic: record.topic, message })),
      options,
    );
  }

  /** Sends the messages (any topics) after every earlier send settled; resolves when Kafka acknowledged all of them. */
  send(messages: Array<{ topic: string; message: Message }>, options: SendOptions = {}): Promise<void> {
    const run = this.tail.then(() => this.sendNow(messages.map(toOutgoing), options.deadline));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Waits for the sends queued so far, then closes the producer. */
  async disconnect(): Promise<void> {
    await this.tail;
    await this.producer?.then((client) => client.close()).catch(() => undefined);
  }

  private async sendNow(messages: Outgoing[], deadline: number | undefined): Promise<void> {
    const producer = this.current();
    const sending = this.connect()
      .then(() => producer)
      .then((client) => client.send({ messages }));
    try {
      await untilDeadline(sending, deadline);
      if (this.lastFailure !== undefined) this.options.logger.info('Kafka sends work again');
      this.lastFailure = undefined;
    } catch (caught) {
      const err = failure(caught);
      // Once per failure streak: during an outage every send fails.
      if (this.lastFailure === undefined) {
        const topics = [...new Set(messages.map(({ topic }) => topic))];
        this.options.logger.error({ err, topics }, 'a Kafka send failed; replacing the producer before the next send');
      }
      this.lastFailure = err.message;
      this.replace();
      throw err;
    }
  }

  /** A producer whose send failed may hold sequence numbers the broker already used: start afresh with a new id. */
  private replace(): void {
    const old = this.producer;
    this.producer = undefined;
    this.connected = undefined;
    this.replacements++;
    old?.then((client) => client.close()).catch(() => undefined);
  }

  private current(): Promise<Client> {
    this.producer ??= this.create();
    return this.producer;
  }

  private create(): Promise<Client> {
    const created = loadClient().then(([{ Producer }, { sessionPartitioner }]) => this.producerOf(Producer, sessionPartitioner));
    created.catch(() => undefined); // a failure to load reaches the caller of connect() or send()
    return created;
  }

  private producerOf(
    Producer: typeof import('@platformatic/kafka').Producer,
    partitioner: typeof import('./session-partitioner.js').sessionPartitioner,
  ): Client {
    return new Producer<Buffer, Buffer, Buffer, Buffer>({
      clientId: this.connection.clientId,
      bootstrapBrokers: this.connection.brokers,
      connectTimeout: this.connection.connectTimeoutMs ?? 3000,
      requestTimeout: this.connection.requestTimeoutMs ?? 10000,
      timeout: this.connection.requestTimeoutMs ?? 10000, // how long the broker may wait for the in-sync replicas
      idempotent: true, // with acks=all and one request in flight per connection
      partitioner,
      compression: 'none',
      autocreateTopics: false, // topics are created by the services (ensureTopics): a missing topic fails the send
      retries: this.options.retries ?? 2,
      retryDelay: this.options.retryDelayMs ?? 100,
    });
  }
}

/** A kafkajs-shaped message (what ingest's spool and webhook, and call-state's emitter, hand over) as the client's: bytes everywhere. */
function toOutgoing({ topic, message }: { topic: string; message: Message }): Outgoing {
  const headers = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // A Map keyed by distinct Buffer objects can hold one name several times, as Kafka headers can.
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) headers.set(Buffer.from(name), bytes(one));
  }
  return {
    topic,
    key: message.key === null || message.key === undefined ? undefined : bytes(message.key),
    value: message.value === null ? undefined : bytes(message.value),
    headers,
    ...(message.partition === undefined ? {} : { partition: message.partition }),
    ...(message.timestamp === undefined ? {} : { timestamp: BigInt(message.timestamp) }),
  };
}

/** A string as its UTF-8 bytes (as kafkajs encodes a string key, value or header). */
const bytes = (data: string | Buffer): Buffer => (typeof data === 'string' ? Buffer.from(data) : data);

/** The client reports "Producing messages failed." around the broker's reason: keep the reasons in the message. */
function failure(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const reasons: string[] = [];
  const collect = (e: unknown, depth: number): void => {
    if (!(e instanceof Error) || depth > 4) return;
    const nested = e instanceof AggregateError ? e.errors : [];
    if (nested.length === 0 && !reasons.includes(e.message)) reasons.push(e.message);
    for (const inner of nested) collect(inner, depth + 1);
    if (e.cause) collect(e.cause, depth + 1);
  };
  collect(err, 0);
  if (reasons.length === 0 || (reasons.length === 1 && reasons[0] === err.message)) return err;
  return Object.assign(new Error(`${err.message} ${reasons.slice(0, 3).join('; ')}`), { cause: err });
}
