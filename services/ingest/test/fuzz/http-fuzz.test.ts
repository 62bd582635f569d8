// Mutated webhooks over HTTP to the built ingest service on the real Kafka: no crash, no 5xx, and every rejected
// body (answered 200 with `deadLettered`: it carries the right token) is in the dead-letter topic as received, with a
// reason naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headers, topicNames } from '@callpulse/contracts';
import { createKafka, createLogger } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../../../test/support/env.js';
import { countMessages, readTopic } from '../../../../test/support/kafka-reader.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { namesAField } from '../../src/fuzz/judge.js';
import { mutants } from '../../src/fuzz/run.js';

const prefix = `${uniqueName('fuzz')}.`;
const topics = topicNames(prefix);
const token = 'fuzz-verification-token';
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const spoolDir = mkdtempSync(join(tmpdir(), 'callpulse-fuzz-spool-'));
const BODY_HARD_CAP = 1_000_000; // a genuine body up to it is read and dead-lettered; beyond it, 413
let ingest: ServiceProcess;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  ingest = startServiceProcess('ingest', {
    INGEST_PORT: String(port),
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

it('answers 3,000 mutated webhooks without a crash or a 5xx, and dead-letters every rejected one with its reason', async () => {
  const bodies: Buffer[] = [];
  for (const { index, mutant } of mutants(424242, Date.now())) {
    if (index >= 3000) break;
    bodies.push(mutant.raw);
  }
  const statuses = new Map<number, number>();
  const rejected: Buffer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as Buffer;
        let status: number;
        let deadLettered = false;
        try {
          const response = await fetch(`${url}/webhooks/ringcentral`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'verification-token': token },
            body,
          });
          const text = await response.text();
          status = response.status;
          deadLettered = status === 200 && text !== '' && (JSON.parse(text) as { deadLettered?: string }).deadLettered !== undefined;
        } catch (err) {
          // A body over the hard cap is answered 413 and the connection closed while the client still writes it.
          if (body.length <= BODY_HARD_CAP) throw err;
          status = 413;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (deadLettered) rejected.push(body);
      }
    }),
  );
  expect([...statuses.keys()].every((status) => [200, 413].includes(status))).toBe(true);
  expect(statuses.get(200)).toBeGreaterThan(500);
  expect(rejected.length).toBeGreaterThan(1000);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  // A record that Kafka took only after ingest's produce timeout is in the spool too, and the drainer sends it again
  // (README "The spool"): on a slow machine a topic may hold that many more, never fewer.
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const counter = (name: string, outcome?: string) =>
    [...metrics.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\d+)$`, 'gm'))]
      .filter((match) => outcome === undefined || (match[1] ?? '').includes(`outcome="${outcome}"`))
      .reduce((sum, match) => sum + Number(match[2]), 0);
  const spooled = counter('callpulse_ingest_spooled_total');
  const deadLetterCount = await countMessages(kafka, topics.ingestDeadLetter);
  expect(deadLetterCount).toBeGreaterThanOrEqual(rejected.length);
  expect(deadLetterCount - rejected.length).toBeLessThanOrEqual(spooled);
  const deadLetters = await readTopic(kafka, topics.ingestDeadLetter, deadLetterCount, 60000);
  const reasons = deadLetters.map((message) => message.headers[headers.deadLetterReason] ?? '');
  expect(reasons.filter((reason) => !namesAField(reason))).toEqual([]);
  const parked = new Set(deadLetters.map((message) => (message.value ?? Buffer.alloc(0)).toString('base64')));
  expect(rejected.filter((body) => !parked.has(body.toString('base64')))).toEqual([]);
  // Other RingCentral events are answered 200 and kept in no topic: counted by outcome in /metrics.
  const otherEvents = counter('callpulse_ingest_webhook_requests_total', 'other-event');
  const accepted = (await countMessages(kafka, topics.telephonySessions)) + otherEvents;
  const expected = (statuses.get(200) ?? 0) - rejected.length;
  expect(accepted).toBeGreaterThanOrEqual(expected);
  expect(accepted - expected).toBeLessThanOrEqual(spooled);
}, 180000);
