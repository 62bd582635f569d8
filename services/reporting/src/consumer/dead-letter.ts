// The dead-letter topic: the original message (key, value, headers) plus why it was refused and where it came from.
import { headers as headerNames } from '@callpulse/contracts';
import type { IHeaders, Producer } from '@callpulse/platform';
import type { Pending } from './buffer.js';

export const deadLetterHeaders = {
  reason: headerNames.deadLetterReason,
  sourceTopic: 'callpulse-source-topic',
  sourcePartition: 'callpulse-source-partition',
  sourceOffset: 'callpulse-source-offset',
} as const;

export interface DeadLetter {
  pending: Pending;
  reason: string;
}

export async function sendDeadLetters(producer: Producer, topic: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: letters.map(({ pending, reason }) => {
      const original: IHeaders = pending.message.headers ?? {};
      return {
        key: pending.message.key,
        value: pending.message.value,
        headers: {
          ...original,
          [deadLetterHeaders.reason]: reason.slice(0, 2000),
          [deadLetterHeaders.sourceTopic]: pending.topic,
          [deadLetterHeaders.sourcePartition]: String(pending.partition),
          [deadLetterHeaders.sourceOffset]: pending.message.offset,
        },
      };
    }),
  });
}
