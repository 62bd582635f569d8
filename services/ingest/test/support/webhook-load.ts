// Webhook traffic for the fault tests: sessions posting their events one after another (the next only after a 200,
// as a careful sender would), and the check that every acknowledged one is in Kafka in each session's order.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from '@callpulse/shared';
import { expect } from 'vitest';
import { countMessages, readTopic } from '../../../../test/support/kafka-reader.js';
import { sampleNotification, telephonySessionId } from '../../../../test/support/notifications.js';

export interface Acknowledged {
  session: string;
  sequence: number;
  uuid: string;
}

export function webhookLoad(url: string, sessions: number) {
  const acknowledged: Acknowledged[] = [];
  const statuses = new Map<number, number>();
  let connectionErrors = 0;
  let running = true;
  const loops = Array.from({ length: sessions }, async () => {
    const session = telephonySessionId();
    for (let sequence = 1; running; ) {
      const notification = sampleNotification({ telephonySessionId: session, sequence });
      try {
        const response = await fetch(`${url}/webhooks/ringcentral`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(notification),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200) {
          acknowledged.push({ session, sequence, uuid: notification.uuid });
          sequence++;
        }
      } catch {
        connectionErrors++; // only while ingest restarts: nothing listens
        await sleep(50);
      }
      await sleep(5);
    }
  });
  return {
    acknowledged,
    statuses,
    connectionErrors: () => connectionErrors,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Every acknowledged notification is in the topic, and each session's first copies are in the order sent. */
export async function expectDeliveredInOrder(kafka: Kafka, topic: string, acknowledged: Acknowledged[]): Promise<void> {
  const total = await countMessages(kafka, topic);
  const messages = await readTopic(kafka, topic, total, 60000);
  const present = new Set(messages.map((m) => JSON.parse(String(m.value)).uuid as string));
  expect(acknowledged.filter(({ uuid }) => !present.has(uuid))).toEqual([]);

  const sequenceOf = new Map(acknowledged.map(({ uuid, sequence }) => [uuid, sequence]));
  const bySession = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const message of messages) {
    const uuid = JSON.parse(String(message.value)).uuid as string;
    const sequence = sequenceOf.get(uuid);
    if (sequence === undefined || seen.has(uuid) || message.key === null) continue;
    seen.add(uuid);
    bySession.set(message.key, [...(bySession.get(message.key) ?? []), sequence]);
  }
  for (const sequences of bySession.values()) expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
}
