// Webhook traffic for the fault tests: sessions posting their events one after another (the next only after a 200,
// as a careful sender would), every few events also a genuine body the pipeline cannot use (it must be answered 200
// and dead-lettered), the token in either header; and the checks that every acknowledged one is in Kafka: each
// session's notifications in order, each unusable body in the dead-letter topic as sent.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from '@callpulse/platform';
import { expect } from 'vitest';
import { countMessages, readTopic } from '../../../../test/support/kafka-reader.js';
import { sampleNotification, telephonySessionId } from '../../../../test/support/notifications.js';

export interface Acknowledged {
  session: string;
  sequence: number;
  uuid: string;
}

/** Genuine bodies ingest cannot use, each with a unique marker: not JSON, no session id, the mobile-push envelope, a bad sequence. */
const UNUSABLE: Array<(marker: string, session: string) => string> = [
  (marker) => `{"uuid": "${marker}", "body": {"telephonySessionId": `,
  (marker) => JSON.stringify({ ...sampleNotification(), uuid: marker, body: { sequence: 1 } }),
  (marker) => JSON.stringify({ uuid: marker, pn_apns: { aps: { 'content-available': 1 }, ...sampleNotification() } }),
  (marker, session) => {
    const notification = sampleNotification({ telephonySessionId: session });
    return JSON.stringify({ ...notification, uuid: marker, body: { ...notification.body, sequence: 'seven' } });
  },
];

export interface WebhookLoadOptions {
  /** RC_WEBHOOK_VERIFICATION_TOKEN of the service: sent in Verification-Token and Validation-Token by turns. */
  token?: string;
  /** Every n-th post of a session is an unusable genuine body (0: none). */
  unusableEvery?: number;
}

export function webhookLoad(url: string, sessions: number, options: WebhookLoadOptions = {}) {
  const acknowledged: Acknowledged[] = [];
  /** The unusable bodies answered 200, exactly as sent. */
  const deadLettered: string[] = [];
  const statuses = new Map<number, number>();
  let connectionErrors = 0;
  let running = true;
  let posts = 0;
  const headersFor = () => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers[posts++ % 2 === 0 ? 'verification-token' : 'validation-token'] = options.token;
    return headers;
  };
  const loops = Array.from({ length: sessions }, async () => {
    const session = telephonySessionId();
    for (let sequence = 1, round = 0; running; round++) {
      const unusable = options.unusableEvery ? round % options.unusableEvery === options.unusableEvery - 1 : false;
      const notification = sampleNotification({ telephonySessionId: session, sequence });
      const body = unusable
        ? (UNUSABLE[round % UNUSABLE.length] as (typeof UNUSABLE)[number])(`unusable-${randomBytes(8).toString('hex')}`, session)
        : JSON.stringify(notification);
      try {
        const response = await fetch(`${url}/webhooks/ringcentral`, { method: 'POST', headers: headersFor(), body });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200 && unusable) deadLettered.push(body);
        else if (response.status === 200) {
          acknowledged.push({ session, sequence, uuid: notification.uuid });
          sequence++;
        } else round--; // tried again
      } catch {
        connectionErrors++; // only while ingest restarts: nothing listens
        round--;
        await sleep(50);
      }
      await sleep(5);
    }
  });
  return {
    acknowledged,
    deadLettered,
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

/** Every unusable body answered 200 is in the dead-letter topic, byte for byte. */
export async function expectDeadLettered(kafka: Kafka, topic: string, bodies: string[]): Promise<void> {
  const total = await countMessages(kafka, topic);
  const messages = await readTopic(kafka, topic, total, 60000);
  const present = new Set(messages.map((m) => String(m.value)));
  expect(bodies.filter((body) => !present.has(body))).toEqual([]);
}
