// Helpers for the call-state integration tests: a fixture call cloned under fresh ids, produced to the real Kafka.
import { randomBytes } from 'node:crypto';
import { type CompletedLegRecord, headers, redisChannels, redisKeys, type TelephonyNotification, topicNames } from '@callpulse/contracts';
import { type Kafka, Partitioners } from '@callpulse/platform';
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { uniqueName } from '../../../../test/support/env.js';

export const AGENT_EXTENSION = '200300401';

/**
 * Names of a test's own: its topics (prefix `<name>.`), Redis keys and channels (`<name>:`), and the environment that
 * gives a worker those prefixes and a consumer group of the same name.
 */
export function isolated(label: string) {
  const name = uniqueName(label);
  return {
    name,
    topics: topicNames(`${name}.`),
    keys: redisKeys(`${name}:`),
    channels: redisChannels(`${name}:`),
    env: { KAFKA_TOPIC_PREFIX: `${name}.`, REDIS_KEY_PREFIX: `${name}:`, CALL_STATE_GROUP_ID: name },
  };
}
const fixture = loadCapturedSession('inbound-ivr-agent.json');
const fixtureSessionHex = fixture[0]?.body.telephonySessionId.slice(2) ?? '';

/** The captured inbound IVR -> agent call under a fresh telephonySessionId and fresh notification uuids. */
export function ivrCall(): { telephonySessionId: string; notifications: TelephonyNotification[] } {
  const hex = randomBytes(16).toString('hex');
  const notifications = fixture.map((notification) => {
    const copy = JSON.parse(JSON.stringify(notification).replaceAll(fixtureSessionHex, hex)) as TelephonyNotification;
    copy.uuid = `${notification.uuid}-${hex.slice(0, 8)}`;
    return copy;
  });
  return { telephonySessionId: `s-${hex}`, notifications };
}

export const expectedAgentLeg = { ringMs: 7345, talkMs: 12414, holdMs: 2393, holdCount: 1, result: 'Answered' };

/** Produces the notifications keyed by session; with `receivedAt`, each carries ingest's receipt header with that time. */
export async function produceNotifications(
  kafka: Kafka,
  topic: string,
  notifications: TelephonyNotification[],
  receivedAt?: (notification: TelephonyNotification) => number,
): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let start = 0; start < notifications.length; start += 1000) {
    await producer.send({
      topic,
      acks: -1,
      messages: notifications.slice(start, start + 1000).map((n) => ({
        key: n.body.telephonySessionId,
        value: JSON.stringify(n),
        headers: receivedAt ? { [headers.receivedAt]: String(receivedAt(n)) } : undefined,
      })),
    });
  }
  await producer.disconnect();
}

/** Shuffles a copy (Fisher-Yates) and repeats some elements, as an unordered, at-least-once delivery would. */
export function disorder<T>(items: T[], duplicates: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  for (let i = 0; i < duplicates; i++) copy.splice(Math.floor(Math.random() * copy.length), 0, items[i % items.length] as T);
  return copy;
}

export function legRecords(values: Array<Buffer | null>): CompletedLegRecord[] {
  return values.map((value) => JSON.parse(String(value))).filter((record) => record.kind === 'leg');
}

/** A stand-in for the emitter's Kafka producer that notes the kind of each record it is given (`sent`). */
export function recordingProducer(): {
  sent: string[];
  producer: { send: (record: { messages: Array<{ value: string }> }) => Promise<[]> };
} {
  const sent: string[] = [];
  const producer = {
    send: async ({ messages }: { messages: Array<{ value: string }> }): Promise<[]> => {
      for (const message of messages) sent.push(JSON.parse(message.value).kind);
      return [];
    },
  };
  return { sent, producer };
}
