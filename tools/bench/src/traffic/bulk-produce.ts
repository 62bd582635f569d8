// A backlog of telephony notifications produced straight to Kafka in large gzip batches, as ingest would have written
// them (keyed by telephonySessionId, with its headers), generated from the scenario library call by call.
import { headers } from '@callpulse/contracts';
import { CompressionTypes, type Kafka, type Message, Partitioners } from '@callpulse/platform';
import { buildCall } from './calls.js';

const BATCH = 10000;

export interface Backlog {
  events: number;
  calls: number;
  seconds: number;
}

/** Produces whole calls until at least `events` notifications are on `topic`. */
export async function produceBacklog(kafka: Kafka, topic: string, events: number, extensionPool: number): Promise<Backlog> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  let produced = 0;
  let calls = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  try {
    const baseMs = Date.now() - 60 * 60 * 1000;
    let batch: Message[] = [];
    while (produced < events) {
      const call = buildCall({ seed: calls + 1, startMs: baseMs + calls * 37, extensionPool });
      calls += 1;
      const receivedAt = String(Date.now());
      for (const { notification } of call.notifications) {
        batch.push({
          key: notification.body.telephonySessionId,
          value: JSON.stringify(notification),
          headers: { [headers.receivedAt]: receivedAt, [headers.notificationUuid]: notification.uuid },
        });
      }
      produced += call.notifications.length;
      if (batch.length >= BATCH || produced >= events) {
        const messages = batch;
        batch = [];
        await inFlight; // one batch on the wire while the next is generated
        inFlight = producer.send({ topic, acks: 1, compression: CompressionTypes.GZIP, messages });
      }
    }
    await inFlight;
  } finally {
    await producer.disconnect();
  }
  return { events: produced, calls, seconds: (performance.now() - started) / 1000 };
}
