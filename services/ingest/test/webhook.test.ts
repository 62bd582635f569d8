// The webhook endpoint of the built ingest service against the real Kafka: the handshake, who may post, and every
// genuine body answered 200 once Kafka (or the spool) holds it, in its topic or in the dead-letter topic.
import { headers, topicNames } from '@callpulse/contracts';
import { createKafka, createLogger, Partitioners } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { countMessages, readTopic } from '../../../test/support/kafka-reader.js';
import { sampleNotification, telephonySessionId } from '../../../test/support/notifications.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { rawRequest } from './support/raw-http.js';

type Sample = ReturnType<typeof sampleNotification>;

/** The message of `topic` keyed `key` (every message is read: other tests of this file produce to it too). */
async function messageKeyed(topic: string, key: string) {
  let found: Awaited<ReturnType<typeof readTopic>>[number] | undefined;
  await waitFor(
    async () => {
      found = (await readTopic(kafka, topic, await countMessages(kafka, topic))).find((m) => m.key === key);
      return found !== undefined;
    },
    { what: `a message keyed ${key} on ${topic}` },
  );
  return found;
}

const prefix = `${uniqueName('ingest')}.`;
const topics = topicNames(prefix);
const token = 'verification-token-for-tests';
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
let ingest: ServiceProcess;
let url: string;
let port: number;

const post = (body: string | Buffer, extraHeaders: Record<string, string> = {}) =>
  fetch(`${url}/webhooks/ringcentral`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'verification-token': token, ...extraHeaders },
    body,
  });

beforeAll(async () => {
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  ingest = startServiceProcess('ingest', {
    INGEST_PORT: String(port),
    INGEST_HOST: '127.0.0.1',
    KAFKA_TOPIC_PREFIX: prefix,
    RC_WEBHOOK_VERIFICATION_TOKEN: token,
    INGEST_BODY_LIMIT_BYTES: String(64 * 1024),
  });
  await waitForHttpOk(`${url}/readyz`);
});

afterAll(async () => {
  expect(await ingest.stop()).toBe(0);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
});

describe('POST /webhooks/ringcentral', () => {
  it('answers the handshake with exactly 200, the token echoed, application/json, no body, at most 1,024 bytes in all', async () => {
    const token = '9f1c4c1e-5b7a-4d3e-8a2f-61b0c7d4e2a9'; // RingCentral's is a uuid
    // As RingCentral sends it: no body, Content-Type application/json (and no Verification-Token).
    const answer = await rawRequest(
      port,
      `POST /webhooks/ringcentral HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nValidation-Token: ${token}\r\nContent-Type: application/json\r\nContent-Length: 0`,
    );
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(answer.headers['validation-token']).toBe(token);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['content-length']).toBe('0');
    expect(answer.body).toBe('');
    expect(answer.bytes).toBeLessThanOrEqual(1024);
    // Without Content-Type or Content-Length too; nothing is produced.
    const bare = await rawRequest(port, `POST /webhooks/ringcentral HTTP/1.1\r\nHost: x\r\nValidation-Token: ${token}`);
    expect([bare.status, bare.headers['validation-token'], bare.body]).toEqual([200, token, '']);
    expect(await countMessages(kafka, topics.ingestDeadLetter)).toBe(0);
  });

  it('takes a request with a body and Validation-Token for a notification (the token from that header), never the handshake', async () => {
    const notification = sampleNotification();
    const raw = JSON.stringify(notification);
    const response = await fetch(`${url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'validation-token': token },
      body: raw,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('validation-token')).toBe(null);
    expect((await messageKeyed(topics.telephonySessions, notification.body.telephonySessionId))?.value?.toString()).toBe(raw);
    const forged = await fetch(`${url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'validation-token': 'a-handshake-value' },
      body: JSON.stringify(sampleNotification()),
    });
    expect(forged.status).toBe(401);
  });

  it('refuses a missing or wrong token with 401 and produces nothing', async () => {
    const before = await countMessages(kafka, topics.telephonySessions);
    const notification = JSON.stringify(sampleNotification());
    const missing = await fetch(`${url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: notification,
    });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toBe('missing Verification-Token or Validation-Token header');
    const wrong = await post(notification, { 'verification-token': 'not-the-token' });
    expect(wrong.status).toBe(401);
    const malformed = await post('{"uuid": "1", oops', { 'verification-token': 'not-the-token' });
    expect(malformed.status).toBe(401);
    expect(await countMessages(kafka, topics.telephonySessions)).toBe(before);
  });

  it('produces a valid notification as received, keyed by telephonySessionId, on the key partition', async () => {
    const notification = sampleNotification();
    const raw = JSON.stringify(notification);
    const response = await post(raw);
    expect(response.status).toBe(200);
    const message = await messageKeyed(topics.telephonySessions, notification.body.telephonySessionId);
    expect(message?.value?.toString()).toBe(raw);
    expect(message?.headers[headers.notificationUuid]).toBe(notification.uuid);
    expect(Number(message?.headers[headers.receivedAt])).toBeGreaterThan(Date.now() - 60000);
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId, leader: 1 }));
    const expected = Partitioners.DefaultPartitioner()({
      topic: topics.telephonySessions,
      partitionMetadata,
      message: { key: notification.body.telephonySessionId, value: raw },
    });
    expect(message?.partition).toBe(expected);
  });

  it('puts every event of one session on one partition, and spreads sessions over partitions', async () => {
    const sessions = Array.from({ length: 20 }, () => telephonySessionId());
    const before = await countMessages(kafka, topics.telephonySessions);
    const responses = await Promise.all(
      sessions.flatMap((id) => [1, 2, 3].map((sequence) => post(JSON.stringify(sampleNotification({ telephonySessionId: id, sequence }))))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(200));
    const messages = await readTopic(kafka, topics.telephonySessions, before + 60);
    const partitionsBySession = new Map<string, Set<number>>();
    for (const m of messages) {
      if (!m.key || !sessions.includes(m.key)) continue;
      const set = partitionsBySession.get(m.key) ?? new Set<number>();
      set.add(m.partition);
      partitionsBySession.set(m.key, set);
    }
    expect(partitionsBySession.size).toBe(20);
    for (const set of partitionsBySession.values()) expect(set.size).toBe(1);
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(3);
  });

  it('answers 200 to a genuine body that is not JSON, and dead-letters its raw bytes with the reason', async () => {
    const before = await countMessages(kafka, topics.ingestDeadLetter);
    const response = await post('{"uuid": "1", oops');
    expect(response.status).toBe(200);
    expect((await response.json()).deadLettered).toMatch(/not valid JSON/);
    const dead = await readTopic(kafka, topics.ingestDeadLetter, before + 1);
    const parked = dead.find((m) => m.value?.toString() === '{"uuid": "1", oops');
    expect(parked?.headers[headers.deadLetterReason]).toMatch(/not valid JSON/);
  });

  it.each([
    ['body', (n: Sample) => Reflect.deleteProperty(n, 'body')],
    ['body.telephonySessionId', (n: Sample) => Reflect.deleteProperty(n.body, 'telephonySessionId')],
    ['body.sequence', (n: Sample) => Object.assign(n.body, { sequence: 'three' })],
    ['body.eventTime', (n: Sample) => Object.assign(n.body, { eventTime: 'yesterday' })],
    ['body.parties', (n: Sample) => Object.assign(n.body, { parties: [] })],
    ['body.parties[0].status.code', (n: Sample) => Object.assign(n.body.parties[0] ?? {}, { status: {} })],
    ['body.parties[0].id', (n: Sample) => Reflect.deleteProperty(n.body.parties[0] ?? {}, 'id')],
  ])('answers 200 to a genuine notification without a usable %s, and dead-letters it naming the field', async (field, spoil) => {
    const notification = sampleNotification();
    spoil(notification);
    const before = await countMessages(kafka, topics.ingestDeadLetter);
    const response = await post(JSON.stringify(notification));
    expect(response.status).toBe(200);
    expect((await response.json()).deadLettered).toContain(`\`${field}\``);
    expect(await countMessages(kafka, topics.ingestDeadLetter)).toBe(before + 1);
  });

  it('produces a notification without `uuid` or `event` as received, under a uuid derived from its session and sequence', async () => {
    const notification: Record<string, unknown> = sampleNotification({ sequence: 12 });
    delete notification.uuid;
    delete notification.event;
    const raw = JSON.stringify(notification);
    expect((await post(raw)).status).toBe(200);
    const session = (notification.body as { telephonySessionId: string }).telephonySessionId;
    const produced = await messageKeyed(topics.telephonySessions, session);
    expect(produced?.value?.toString()).toBe(raw);
    expect(produced?.headers[headers.notificationUuid]).toBe(`derived:${session}:12`);
  });

  it('takes a body sent without Content-Type', async () => {
    const raw = JSON.stringify(sampleNotification());
    const answer = await rawRequest(
      port,
      `POST /webhooks/ringcentral HTTP/1.1\r\nHost: x\r\nVerification-Token: ${token}\r\nContent-Length: ${Buffer.byteLength(raw)}`,
      Buffer.from(raw),
    );
    expect(answer.status).toBe(200);
  });

  it('dead-letters a genuine body over INGEST_BODY_LIMIT_BYTES (200), refuses a forged one unread (401), and anything over the hard cap (413)', async () => {
    const large = Buffer.from(JSON.stringify({ ...sampleNotification(), padding: 'x'.repeat(70 * 1024) }));
    const before = await countMessages(kafka, topics.ingestDeadLetter);
    const genuine = await post(large);
    expect(genuine.status).toBe(200);
    expect((await genuine.json()).deadLettered).toBe(`body is larger than INGEST_BODY_LIMIT_BYTES (${large.length} > ${64 * 1024} bytes)`);
    const dead = await readTopic(kafka, topics.ingestDeadLetter, before + 1);
    expect(dead.some((m) => m.value?.equals(large))).toBe(true);

    const head = (length: number, tokenHeader: string) =>
      `POST /webhooks/ringcentral HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${tokenHeader}\r\nContent-Length: ${length}`;
    const forged = await rawRequest(port, head(large.length, 'Verification-Token: forged'), large);
    expect(forged.status).toBe(401);
    // Refused on its Content-Length before any byte of it is read. Only the head is sent: a server that closes a
    // connection holding unread bytes makes the kernel reset it, and the client may then lose the 413 on the way.
    const tooLarge = await rawRequest(port, head(1_000_001, `Verification-Token: ${token}`));
    expect(tooLarge.status).toBe(413);
    expect(await countMessages(kafka, topics.ingestDeadLetter)).toBe(before + 1);
  });

  it('answers other RingCentral events (extension list change, renewal reminder) 200, counted, in no topic', async () => {
    const extensionChange = {
      uuid: '5550001',
      event: '/restapi/v1.0/account/100200300/extension',
      timestamp: '2026-03-02T09:20:00.000Z',
      subscriptionId: 'b7f0c3d2-5a1e-4c9b-9f2a-0d6e1c2b3a4f',
      ownerId: '100200300',
      body: { extensions: [{ extensionId: '200300999', eventType: 'Create' }] },
    };
    const reminder = {
      ...extensionChange,
      uuid: '5550002',
      event: '/restapi/v1.0/subscription/b7f0c3d2-5a1e-4c9b-9f2a-0d6e1c2b3a4f',
      body: {},
    };
    const otherEvents = async () =>
      Number(
        /callpulse_ingest_webhook_requests_total\{[^}]*outcome="other-event"[^}]*\} (\d+)/.exec(
          await (await fetch(`${url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const before = {
      events: await otherEvents(),
      sessions: await countMessages(kafka, topics.telephonySessions),
      deadLetters: await countMessages(kafka, topics.ingestDeadLetter),
    };
    expect((await post(JSON.stringify(extensionChange))).status).toBe(200);
    expect((await post(JSON.stringify(reminder))).status).toBe(200);
    expect(await otherEvents()).toBe(before.events + 2);
    expect(await countMessages(kafka, topics.telephonySessions)).toBe(before.sessions);
    expect(await countMessages(kafka, topics.ingestDeadLetter)).toBe(before.deadLetters);
  });

  it('exposes request outcomes, produce latency and dead-letter count on /metrics', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/callpulse_ingest_webhook_requests_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/callpulse_ingest_produce_seconds_count\{[^}]*ok="true"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/callpulse_ingest_dead_lettered_total\{service="ingest"\} [1-9]/);
  });
});
