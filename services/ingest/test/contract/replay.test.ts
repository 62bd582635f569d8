// Contract: every telephony-session and extension-list notification RingCentral publishes (our own re-creations,
// packages/testkit/fixtures/ringcentral), replayed over HTTP to the built ingest service in both header conventions (the token in
// Verification-Token, as the spec and FAQ say, and in Validation-Token, as the current guide says): each is answered
// 200 and lands in its topic byte for byte, keyed as the pipeline needs. The mobile-push shape of the event-filter
// pages is dead-lettered (200). Every status code and reason of the spec goes through too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headers, topicNames } from '@callpulse/contracts';
import { createKafka, createLogger } from '@callpulse/platform';
import {
  EXTENSION_LIST_FIXTURES,
  type JsonObject,
  loadFixture,
  MOBILE_PUSH_FIXTURES,
  OTHER_STATUS_SPELLINGS,
  rebase,
  STATUS_CODES,
  STATUS_REASONS,
  singlePartyEvent,
  TELEPHONY_FIXTURES,
} from '@callpulse/testkit/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../../test/support/env.js';
import { countMessages, readTopic } from '../../../../test/support/kafka-reader.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';

const prefix = `${uniqueName('contract')}.`;
const topics = topicNames(prefix);
const token = 'contract-verification-token';
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const spoolDir = mkdtempSync(join(tmpdir(), 'callpulse-contract-spool-'));
let ingest: ServiceProcess;
let url: string;

const CONVENTIONS = ['verification-token', 'validation-token'] as const;

/** Every body sent, by the topic it must land in, with the key it must have there. */
const expected = new Map<string, Array<{ key: string | null; raw: string }>>();
const expect200 = (topic: string, key: string | null, raw: string) => expected.set(topic, [...(expected.get(topic) ?? []), { key, raw }]);

async function post(raw: string, convention: (typeof CONVENTIONS)[number]) {
  const response = await fetch(`${url}/webhooks/ringcentral`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [convention]: token },
    body: raw,
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  ingest = startServiceProcess('ingest', {
    INGEST_PORT: String(port),
    INGEST_HOST: '127.0.0.1',
    KAFKA_TOPIC_PREFIX: prefix,
    RC_WEBHOOK_VERIFICATION_TOKEN: token,
    INGEST_SPOOL_DIR: spoolDir,
  });
  await waitForHttpOk(`${url}/readyz`);
});

afterAll(async () => {
  expect(await ingest.stop()).toBe(0);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
  rmSync(spoolDir, { recursive: true, force: true });
});

describe.each(CONVENTIONS)('RingCentral published notifications, the token in %s', (convention) => {
  // The second convention's replay is a minute earlier, so its bodies differ from the first's.
  const endMs = () => Date.now() - (convention === 'verification-token' ? 1000 : 61000);

  it.each(TELEPHONY_FIXTURES)('%s: each event answered 200, in the telephony topic as sent, keyed by its session', async (path) => {
    for (const notification of rebase(loadFixture(path), endMs())) {
      const raw = JSON.stringify(notification);
      const answer = await post(raw, convention);
      expect(answer).toEqual({ status: 200, text: '' });
      expect200(topics.telephonySessions, (notification.body as { telephonySessionId: string }).telephonySessionId, raw);
    }
  });

  it.each(EXTENSION_LIST_FIXTURES)('%s: each event answered 200 (for the directory, in no topic)', async (path) => {
    for (const notification of rebase(loadFixture(path), endMs())) {
      const raw = JSON.stringify(notification);
      expect(await post(raw, convention)).toEqual({ status: 200, text: '' });
    }
  });

  it.each(MOBILE_PUSH_FIXTURES)('%s (the mobile-push envelope, not WebHook): answered 200 and dead-lettered as sent', async (path) => {
    for (const notification of rebase(loadFixture(path), endMs())) {
      const raw = JSON.stringify(notification);
      const answer = await post(raw, convention);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({
        deadLettered: '`pn_apns`: a mobile-push envelope, not a WebHook notification (no top-level `body`)',
      });
      expect200(topics.ingestDeadLetter, null, raw);
    }
  });
});

describe('every status code and reason of the spec (and the spellings seen outside it, and unknown ones)', () => {
  const codes = [...STATUS_CODES, ...OTHER_STATUS_SPELLINGS, 'FutureCode'];
  it('each code and each reason is answered 200 and produced as sent', async () => {
    let sequence = 100;
    const events: JsonObject[] = [
      ...codes.map((code) => singlePartyEvent({ code, sequence: sequence++, eventTime: new Date().toISOString() })),
      ...[...STATUS_REASONS, 'FutureReason'].map((reason) =>
        singlePartyEvent({ code: 'Disconnected', reason, sequence: sequence++, eventTime: new Date().toISOString() }),
      ),
    ] as unknown as JsonObject[];
    for (const [index, event] of events.entries()) {
      const raw = JSON.stringify(event);
      expect(await post(raw, CONVENTIONS[index % 2] ?? 'verification-token')).toEqual({ status: 200, text: '' });
      expect200(topics.telephonySessions, (event.body as { telephonySessionId: string }).telephonySessionId, raw);
    }
  });
});

describe('what the topics hold', () => {
  it('exactly the bodies sent to each, unchanged, with their keys, and nothing else', async () => {
    for (const topic of [topics.telephonySessions, topics.ingestDeadLetter]) {
      const sent = expected.get(topic) ?? [];
      const messages = await readTopic(kafka, topic, sent.length);
      expect(await countMessages(kafka, topic)).toBe(sent.length);
      const landed = messages.map((m) => ({ key: m.key, raw: m.value?.toString() ?? '' }));
      const order = (a: { raw: string }, b: { raw: string }) => a.raw.localeCompare(b.raw);
      expect(landed.sort(order)).toEqual([...sent].sort(order));
      if (topic === topics.telephonySessions) {
        for (const message of messages) {
          expect(message.headers[headers.notificationUuid]).toBe(JSON.parse(String(message.value)).uuid);
        }
      }
    }
    expect(expected.get(topics.telephonySessions)?.length).toBe(2 * 35 + 14 + 31);
  });
});
