// The webhook endpoint of the built ingest service against the real Kafka.
import { createKafka, createLogger, headers, Partitioners, topicNames } from '@callpulse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { countMessages, readTopic } from '../../../test/support/kafka-reader.js';
import { sampleNotification, telephonySessionId } from '../../../test/support/notifications.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';

const prefix = `${uniqueName('ingest')}.`;
const topics = topicNames(prefix);
const token = 'verification-token-for-tests';
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
let ingest: ServiceProcess;
let url: string;

const post = (body: string | Buffer, extraHeaders: Record<string, string> = {}) =>
  fetch(`${url}/webhooks/ringcentral`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'verification-token': token, ...extraHeaders },
    body,
  });

beforeAll(async () => {
  const port = await freePort();
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
  it('answers the validation handshake by echoing Validation-Token, in under 1024 bytes', async () => {
    const response = await fetch(`${url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'validation-token': 'abc-123-handshake' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('validation-token')).toBe('abc-123-handshake');
    const body = await response.text();
    expect(body === '' || body === '{}').toBe(true);
    const headerBytes = [...response.headers].reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
    expect(headerBytes + body.length + 'HTTP/1.1 200 OK\r\n\r\n'.length).toBeLessThan(1024);
  });

  it('refuses a missing or wrong Verification-Token with 401 and produces nothing', async () => {
    const notification = JSON.stringify(sampleNotification());
    const missing = await fetch(`${url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: notification,
    });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toMatch(/missing Verification-Token/);
    const wrong = await post(notification, { 'verification-token': 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(await countMessages(kafka, topics.telephonySessions)).toBe(0);
  });

  it('produces a valid notification as received, keyed by telephonySessionId, on the key partition', async () => {
    const notification = sampleNotification();
    const raw = JSON.stringify(notification);
    const response = await post(raw);
    expect(response.status).toBe(200);
    const [message] = await readTopic(kafka, topics.telephonySessions, 1);
    expect(message?.key).toBe(notification.body.telephonySessionId);
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

  it('rejects a body that is not JSON with 400 and dead-letters its raw bytes with the reason', async () => {
    const response = await post('{"uuid": "1", oops');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/not valid JSON/);
    const [dead] = await readTopic(kafka, topics.ingestDeadLetter, 1);
    expect(dead?.value?.toString()).toBe('{"uuid": "1", oops');
    expect(dead?.headers[headers.deadLetterReason]).toMatch(/not valid JSON/);
  });

  it.each([
    ['uuid', (n: ReturnType<typeof sampleNotification>) => Reflect.deleteProperty(n, 'uuid')],
    ['body.telephonySessionId', (n: ReturnType<typeof sampleNotification>) => Reflect.deleteProperty(n.body, 'telephonySessionId')],
    ['body.sequence', (n: ReturnType<typeof sampleNotification>) => Object.assign(n.body, { sequence: 'three' })],
    ['body.eventTime', (n: ReturnType<typeof sampleNotification>) => Object.assign(n.body, { eventTime: 'yesterday' })],
    ['body.parties', (n: ReturnType<typeof sampleNotification>) => Object.assign(n.body, { parties: [] })],
    ['body.parties[0].status.code', (n: ReturnType<typeof sampleNotification>) => Object.assign(n.body.parties[0] ?? {}, { status: {} })],
    ['body.parties[0].id', (n: ReturnType<typeof sampleNotification>) => Reflect.deleteProperty(n.body.parties[0] ?? {}, 'id')],
  ])('rejects a notification without a valid %s, naming it', async (field, spoil) => {
    const notification = sampleNotification();
    spoil(notification);
    const before = await countMessages(kafka, topics.ingestDeadLetter);
    const response = await post(JSON.stringify(notification));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain(`\`${field}\``);
    expect(await countMessages(kafka, topics.ingestDeadLetter)).toBe(before + 1);
  });

  it('answers 413 to a body over the size limit', async () => {
    const response = await post(JSON.stringify({ ...sampleNotification(), padding: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
  });

  it('routes other RingCentral events (extension list change, renewal reminder) instead of rejecting them', async () => {
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
    expect((await post(JSON.stringify(extensionChange))).status).toBe(200);
    expect((await post(JSON.stringify(reminder))).status).toBe(200);
    const routed = await readTopic(kafka, topics.rcEvents, 2);
    expect(routed.map((m) => m.key).sort()).toEqual(['extension-list', 'subscription-renewal']);
  });

  it('exposes request outcomes, produce latency and dead-letter count on /metrics', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/callpulse_ingest_webhook_requests_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/callpulse_ingest_produce_seconds_count\{[^}]*ok="true"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/callpulse_ingest_dead_lettered_total\{service="ingest"\} [1-9]/);
  });
});
