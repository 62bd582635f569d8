// The Kafka messages of one call for a backlog, as ingest writes them (keyed by telephonySessionId, the raw JSON
// body, its receivedAt and notification-uuid headers), with what call-state owes for it once drained: the completed
// legs and session summaries of the scenario's ground truth. And the sender both backlogs share: batches sent
// uncompressed unless asked (ingest's producer sends uncompressed), one on the wire while the next is built.
import { headers } from '@callpulse/contracts';
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer } from '@callpulse/platform';
import type { BuiltScenario } from '@callpulse/testkit/scenarios';

/** The records call-state must emit for a backlog: legs as `${telephonySessionId}:${partyId}`, summaries by session. */
export interface ExpectedRecords {
  legs: Set<string>;
  summaries: Set<string>;
}

export function emptyExpected(): ExpectedRecords {
  return { legs: new Set(), summaries: new Set() };
}

export const legKey = (telephonySessionId: string, partyId: string) => `${telephonySessionId}:${partyId}`;

export interface CallMessages {
  messages: Message[];
  /** Events per session of the call. */
  eventsBySession: Map<string, number>;
}

/** The call's notifications as messages (in the call's order), and its expected records added to `expected`. */
export function callMessages(call: BuiltScenario, expected: ExpectedRecords, receivedAtMs = Date.now()): CallMessages {
  const receivedAt = String(receivedAtMs);
  const eventsBySession = new Map<string, number>();
  const messages = call.notifications.map(({ notification }) => {
    const session = notification.body.telephonySessionId;
    eventsBySession.set(session, (eventsBySession.get(session) ?? 0) + 1);
    return {
      key: session,
      value: Buffer.from(JSON.stringify(notification)),
      headers: { [headers.receivedAt]: receivedAt, [headers.notificationUuid]: notification.uuid },
    };
  });
  for (const leg of call.expectedLegs) expected.legs.add(legKey(leg.telephonySessionId, leg.partyId));
  for (const summary of call.expectedSummaries) expected.summaries.add(summary.telephonySessionId);
  return { messages, eventsBySession };
}

export type Compression = 'none' | 'gzip';

/** Messages per send: uncompressed, 12 partitions of a few hundred KB each stay under Kafka's 1 MB per batch. */
export const SEND_BATCH = 4000;

export class BacklogSender {
  private batch: Message[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly compression: Compression,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async add(message: Message): Promise<void> {
    this.batch.push(message);
    if (this.batch.length >= SEND_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const messages = this.batch;
    this.batch = [];
    await this.inFlight; // one batch on the wire while the next is built
    this.inFlight = this.producer.send({
      topic: this.topic,
      acks: 1,
      compression: this.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      messages,
    });
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.inFlight;
    } finally {
      await this.producer.disconnect();
    }
  }
}
