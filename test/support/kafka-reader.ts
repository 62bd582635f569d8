// Reads every message of a topic from the beginning, for assertions (a fresh consumer group each time).
import type { Kafka, KafkaMessage } from '@callpulse/platform';
import { uniqueName } from './env.js';
import { waitFor } from './wait.js';

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function toRead(partition: number, message: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
  return { partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers };
}

/** Consumes topic until `count` messages arrived (or times out), then returns them. */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 20000): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages.push(toRead(partition, message));
      },
    });
    await waitFor(() => messages.length >= count, { timeoutMs, what: () => `${count} messages on ${topic} (have ${messages.length})` });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** The number of messages in a topic (sum of high watermarks minus low ones). */
export async function countMessages(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Consumes a topic from the beginning into a growing array until stop() is called. */
export async function collectTopic(kafka: Kafka, topic: string): Promise<{ messages: ReadMessage[]; stop: () => Promise<void> }> {
  const consumer = kafka.consumer({ groupId: uniqueName('collector'), allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      messages.push(toRead(partition, message));
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
