// Kafka goes away under a loaded ingest service (a private Kafka, stopped and started again, then stalled with
// SIGSTOP), and ingest itself is killed with SIGKILL and restarted while Kafka is still down: every genuine webhook
// (the token in either header; some bodies the pipeline cannot use) is answered 200, never anything else (from the
// spool while Kafka does not acknowledge), /readyz stays ready and reports the backlog, and once Kafka is back every
// acknowledged notification is in the topic, each session's in the order it was sent, and every unusable body in the
// dead-letter topic as sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames } from '@callpulse/contracts';
import { createKafka, createLogger } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateStack, privateStack } from '../../../test/support/private-stack.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { pidOfPort } from './support/pid-of-port.js';
import { expectDeadLettered, expectDeliveredInOrder, webhookLoad } from './support/webhook-load.js';

let stack: PrivateStack;
let ingest: ServiceProcess;
let url: string;
let env: Record<string, string>;
const spoolDir = mkdtempSync(join(tmpdir(), 'callpulse-outage-spool-'));
const topics = topicNames('');
const token = 'outage-verification-token';
/** Every 7th post of a session is a genuine body the pipeline cannot use. */
const load = { token, unusableEvery: 7 };

interface Readiness {
  status: string;
  kafka: string;
  spool: { records: number; accepting: boolean };
}
const readiness = async (): Promise<{ code: number; body: Readiness }> => {
  const response = await fetch(`${url}/readyz`);
  return { code: response.status, body: (await response.json()) as Readiness };
};

beforeAll(async () => {
  stack = await privateStack(['kafka']);
  await stack.up();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = {
    INGEST_PORT: String(port),
    INGEST_HOST: '127.0.0.1',
    KAFKA_BROKERS: stack.kafkaBrokers,
    INGEST_SPOOL_DIR: spoolDir,
    RC_WEBHOOK_VERIFICATION_TOKEN: token,
  };
  ingest = startServiceProcess('ingest', env);
  await waitForHttpOk(`${url}/readyz`);
});

afterAll(async () => {
  await ingest?.stop();
  await stack?.destroy();
  rmSync(spoolDir, { recursive: true, force: true });
});

it('answers 200 from the spool while Kafka is down, survives SIGKILL, and delivers every acknowledged notification in order', async () => {
  const traffic = webhookLoad(url, 20, load);
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
  expect(traffic.deadLettered.length).toBeGreaterThan(10);
  const kafka = createKafka({ clientId: 'test', brokers: [stack.kafkaBrokers], logger: createLogger('test', 'silent') });
  await expectDeliveredInOrder(kafka, topics.telephonySessions, traffic.acknowledged);
  await expectDeadLettered(kafka, topics.ingestDeadLetter, traffic.deadLettered);
}, 300000);

it('answers 200 from the spool while Kafka is stalled (SIGSTOP), and delivers everything in order once it resumes', async () => {
  await waitFor(async () => (await readiness()).body.kafka === 'reachable', { what: 'Kafka reachable', timeoutMs: 60000 });
  const kafkaPid = pidOfPort(Number(stack.kafkaBrokers.split(':').at(-1)));
  const traffic = webhookLoad(url, 10, load);
  await waitFor(() => traffic.acknowledged.length >= 50, { what: '50 notifications acknowledged with Kafka up' });

  process.kill(kafkaPid, 'SIGSTOP');
  try {
    const before = traffic.acknowledged.length;
    await waitFor(() => traffic.acknowledged.length >= before + 100, { what: '100 acknowledged while Kafka is stalled', timeoutMs: 60000 });
    const { code, body } = await readiness();
    expect(code).toBe(200);
    expect(body.spool.records).toBeGreaterThan(0);
  } finally {
    process.kill(kafkaPid, 'SIGCONT');
  }

  await waitFor(
    async () => {
      const { body } = await readiness();
      return body.kafka === 'reachable' && body.spool.records === 0;
    },
    { what: 'the spool to drain once Kafka resumes', timeoutMs: 90000 },
  );
  const afterDrain = traffic.acknowledged.length;
  await waitFor(() => traffic.acknowledged.length >= afterDrain + 50, { what: '50 more acknowledged after the drain' });
  await traffic.stop();

  expect([...traffic.statuses.keys()]).toEqual([200]);
  expect(traffic.deadLettered.length).toBeGreaterThan(10);
  const kafka = createKafka({ clientId: 'test', brokers: [stack.kafkaBrokers], logger: createLogger('test', 'silent') });
  await expectDeliveredInOrder(kafka, topics.telephonySessions, traffic.acknowledged);
  await expectDeadLettered(kafka, topics.ingestDeadLetter, traffic.deadLettered);
}, 300000);
