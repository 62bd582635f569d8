// An idempotent Kafka producer that is safe to share: one send at a time, and a fresh producer after a failed send.
// kafkajs' idempotent producer assigns a partition's sequence numbers before a request and rolls them back when the
// request fails; if the broker had in fact written that request (a connection closed during a Kafka restart), the next
// request reuses its sequence numbers and the broker takes it for a duplicate: acknowledged, never written. So sends
// never overlap, and after a failure the producer (and its producer id) is replaced before anything else is sent.
import type { Kafka, Logger, Producer, ProducerRecord } from '@callpulse/platform';
import { Partitioners } from '@callpulse/platform';

export class SerialProducer {
  private producer: Producer;
  private tail: Promise<unknown> = Promise.resolve();
  private connected: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
  ) {
    this.producer = this.create();
  }

  async connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
  }

  /** Sends after every earlier send settled; resolves when Kafka acknowledged (acks=all). */
  send(record: ProducerRecord): Promise<void> {
    const run = this.tail.then(() => this.sendNow(record));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async disconnect(): Promise<void> {
    await this.tail;
    await this.producer.disconnect().catch(() => undefined);
  }

  private async sendNow(record: ProducerRecord): Promise<void> {
    try {
      await this.connect();
      await this.producer.send({ ...record, acks: -1 });
    } catch (err) {
      this.logger.warn({ err, topic: record.topic }, 'a Kafka send failed; replacing the producer before the next send');
      const old = this.producer;
      this.producer = this.create();
      this.connected = undefined;
      await old.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }
}
