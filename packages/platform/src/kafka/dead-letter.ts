// A dead letter of a message read from Kafka: the message as it was (key, value, its own headers) plus the one set of
// dead-letter headers (contracts' deadLetterHeaders): the reason, where it was read from, and when ingest received it.
import { type DeadLetterFacts, deadLetterHeaders, headers } from '@callpulse/contracts';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

export interface DeadLetterOf {
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  /** The topic and partition the message was read from. */
  from: { topic: string; partition: number };
  reason: string;
}

/** The dead-letter message of a message read from Kafka; its receipt time is kept from its own headers. */
export function deadLetterMessage({ message, from, reason }: DeadLetterOf): Message {
  const original: IHeaders = message.headers ?? {};
  const receivedAt = original[headers.receivedAt];
  const facts: DeadLetterFacts = { reason, source: { ...from, offset: message.offset } };
  if (receivedAt !== undefined) facts.receivedAt = receivedAt.toString();
  return { key: message.key, value: message.value, headers: { ...original, ...deadLetterHeaders(facts) } };
}
