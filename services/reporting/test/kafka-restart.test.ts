// Reporting started while Kafka is down, then Kafka restarted (SIGTERM) and crashed (SIGKILL) under it: the process
// never exits, /readyz says it cannot consume meanwhile, and what was sent before, between and after lands exactly once.
// Uses a private Kafka so the suite's keeps running; ClickHouse is the suite's.
import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient, createKafka, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { type PrivateStack, privateStack } from '../../../test/support/private-stack.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { expectedFigures, readFigures } from './support/figures.js';
import { produce, silent, waitCommittedToEnd } from './support/harness.js';
import { callSet } from './support/records.js';

const name = uniqueName('repkafka');
const topics = topicNames(`${name}.`);
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
let stack: PrivateStack;
let service: ServiceProcess | undefined;
let port: number;

beforeAll(async () => {
  stack = await privateStack(['kafka']);
  port = await freePort();
  service = startServiceProcess('reporting', {
    REPORTING_PORT: String(port),
    KAFKA_BROKERS: stack.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${name}.`,
    KAFKA_TOPIC_PARTITIONS: '3',
    CLICKHOUSE_URL: clickhouseUrl,
    CLICKHOUSE_DATABASE: name,
    REPORTING_GROUP_ID: name,
    REPORTING_FLUSH_INTERVAL_MS: '100',
    LOG_LEVEL: 'info',
  });
}, 240000);

afterAll(async () => {
  await service?.stop('SIGKILL');
  await stack?.destroy();
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(name)}` }).catch(() => undefined);
  await clickhouse.close();
}, 120000);

const kafka = () => createKafka({ clientId: uniqueName('repkafka_test'), brokers: [stack.kafkaBrokers], logger: silent });

async function sendAndLand(records: ReturnType<typeof callSet>) {
  const client = kafka();
  await produce(client, topics.completedCalls, records);
  await waitCommittedToEnd(client, name, topics.completedCalls, 120000);
}

async function outage(fault: () => Promise<void>) {
  await fault();
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503, {
    what: '/readyz to say reporting cannot consume',
    timeoutMs: 60000,
  });
  await sleep(12000); // long enough for kafkajs to give up on its coordinator and its consumer
  expect(service?.child.exitCode).toBeNull();
  await stack.up();
}

it('stays up through a Kafka restart and a Kafka crash, and loads everything exactly once', { timeout: 600000 }, async () => {
  // Started while Kafka is down (a supervisor restarting it during an outage): it waits instead of exiting.
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503, { what: '/readyz 503', timeoutMs: 30000 });
  await sleep(15000);
  expect(service?.child.exitCode).toBeNull();
  expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'not ready', reason: 'start-up failed' });
  await stack.up();
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 90000);

  const before = callSet('kb', 10);
  await sendAndLand(before);

  await outage(() => stack.down());
  const between = callSet('kt', 10);
  await sendAndLand(between);

  await outage(() => stack.kill('kafka', 'SIGKILL'));
  const after = callSet('ka', 10);
  await sendAndLand(after);

  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
  expect(await readFigures(clickhouse, name)).toEqual(expectedFigures([...before, ...between, ...after]));
  const doubled = await clickhouse.query({
    query: `SELECT count() AS n FROM (SELECT sum(sign) AS s FROM ${escapeIdentifier(name)}.legs GROUP BY telephony_session_id, party_id, version HAVING s > 1)`,
    format: 'JSONEachRow',
  });
  expect(await doubled.json()).toEqual([{ n: 0 }]);
  expect(service?.child.exitCode).toBeNull();
  expect(service?.output()).not.toMatch(/"level":60/);
});
