// Kafka goes away under a loaded ingest service (a private Kafka, stopped and started again), and ingest itself is
// killed with SIGKILL and restarted while Kafka is still down: every webhook is answered 200 (from the spool while
// Kafka is away), /readyz stays ready and reports the backlog, and once Kafka is back every acknowledged
// notification is in the topic, each session's in the order it was sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, createLogger, topicNames } from '@callpulse/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countMessages, readTopic } from '../../../test/support/kafka-reader.js';
import { sampleNotification, telephonySessionId } from '../../../test/support/notifications.js';
import { type PrivateStack, privateStack } from '../../../test/support/private-stack.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';

let stack: PrivateStack;
let ingest: ServiceProcess;
let url: string;
let env: Record<string, string>;
const spoolDir = mkdtempSync(join(tmpdir(), 'callpulse-outage-spool-'));
const topics = topicNames('');

interface Readiness {
  status: string;
  kafka: string;
  spool: { records: number; accepting: boolean };
}
const readiness = async (): Promise<{ code: number; body: Readiness }> => {
  const response = await fetch(`${url}/readyz`);
  return { code: response.status, body: (await response.json()) as Readiness };
};

/** Sessions posting their events one after another (the next only after a 200), until stopped. */
function load(sessions: number) {
  const acknowledged: Array<{ session: string; sequence: number; uuid: string }> = [];
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

beforeAll(async () => {
  stack = await privateStack(['kafka']);
  await stack.up();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = { INGEST_PORT: String(port), KAFKA_BROKERS: stack.kafkaBrokers, INGEST_SPOOL_DIR: spoolDir };
  ingest = startServiceProcess('ingest', env);
  await waitForHttpOk(`${url}/readyz`);
});

afterAll(async () => {
  await ingest?.stop();
  await stack?.destroy();
  rmSync(spoolDir, { recursive: true, force: true });
});

it('answers 200 from the spool while Kafka is down, survives SIGKILL, and delivers every acknowledged notification in order', async () => {
  const traffic = load(20);
  await waitFor(() => traffic.acknowledged.length >= 100, { what: '100 notifications acknowledged with Kafka up' });

  await stack.down();
  const spooling = await waitFor(
    async () => {
      const { code, body } = await readiness();
      return code === 200 && body.kafka === 'unreachable' && body.spool.records > 50 ? body : undefined;
    },
    { what: 'the spool to fill while Kafka is down', timeoutMs: 60000 },
  );
  expect(spooling.spool.accepting).toBe(true);

  // SIGKILL while Kafka is down and the spool holds records; the restarted ingest starts without Kafka.
  expect(await ingest.stop('SIGKILL')).toBe(null);
  const beforeRestart = traffic.acknowledged.length;
  ingest = startServiceProcess('ingest', env);
  await waitForHttpOk(`${url}/readyz`, 30000);
  expect((await readiness()).body.spool.records).toBeGreaterThan(0);
  await waitFor(() => traffic.acknowledged.length >= beforeRestart + 100, { what: '100 more acknowledged after the restart' });

  await stack.up();
  await waitFor(
    async () => {
      const { body } = await readiness();
      return body.kafka === 'reachable' && body.spool.records === 0;
    },
    { what: 'the spool to drain once Kafka is back', timeoutMs: 90000 },
  ).catch(async (err) => {
    console.log(JSON.stringify((await readiness()).body), ingest.output().slice(-3000));
    throw err;
  });
  const afterDrain = traffic.acknowledged.length;
  await waitFor(() => traffic.acknowledged.length >= afterDrain + 50, { what: '50 more acknowledged after the drain' });
  await traffic.stop();

  expect([...traffic.statuses.keys()]).toEqual([200]);
  const kafka = createKafka({ clientId: 'test', brokers: [stack.kafkaBrokers], logger: createLogger('test', 'silent') });
  const total = await countMessages(kafka, topics.telephonySessions);
  const messages = await readTopic(kafka, topics.telephonySessions, total, 60000);
  const uuids = messages.map((m) => JSON.parse(String(m.value)).uuid as string);
  const present = new Set(uuids);
  expect(traffic.acknowledged.filter(({ uuid }) => !present.has(uuid))).toEqual([]);

  // Per session (one key, one partition), the first copy of each event is in the order it was sent.
  const sequenceOf = new Map(traffic.acknowledged.map(({ uuid, sequence }) => [uuid, sequence]));
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
}, 300000);
