// ClickHouse stopped for 30 s in the middle of a run: nothing is committed early, /readyz says why, and once it is
// back every record lands exactly once. Uses a private ClickHouse so the shared one keeps running.
import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { privateStack } from '../../../test/support/private-stack.js';
import { waitFor } from '../../../test/support/wait.js';
import { type ReportingService, startReporting } from '../src/service.js';
import { expectedFigures, readFigures } from './support/figures.js';
import { cleanUp, committedToEnd, produce, silent, testConfig, testKafka, waitCommittedToEnd } from './support/harness.js';
import { callSet } from './support/records.js';

const server = await privateStack(['clickhouse']);
const config = testConfig('outage', { CLICKHOUSE_URL: server.clickhouseUrl, REPORTING_BATCH_ROWS: '50' });
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const kafka = testKafka();
let reporting: ReportingService | undefined;

beforeAll(async () => {
  await server.up();
});

afterAll(async () => {
  await reporting?.stop();
  await cleanUp(config).catch(() => undefined);
  await server.destroy();
}, 180000);

it('loses nothing while ClickHouse is down for 30 s and resumes by itself', { timeout: 180000 }, async () => {
  reporting = await startReporting(config, { logger: silent, stopDeadlineMs: 2000 });
  const handle = reporting;
  const before = callSet('o1', 20);
  await produce(kafka, topics.completedCalls, before);
  await waitCommittedToEnd(kafka, config.REPORTING_GROUP_ID, topics.completedCalls);

  await server.down();
  const during = callSet('o2', 60);
  await produce(kafka, topics.completedCalls, during);
  await waitFor(async () => {
    const ready = await handle.ready();
    return ready !== true && /ClickHouse|failed/.test(ready) ? ready : undefined;
  });
  await sleep(30000); // the outage itself
  expect(await committedToEnd(kafka, config.REPORTING_GROUP_ID, topics.completedCalls)).toBe(false);
  expect(await handle.ready()).toMatch(/writing to ClickHouse failed|ClickHouse does not answer/);

  await server.up();
  await waitCommittedToEnd(kafka, config.REPORTING_GROUP_ID, topics.completedCalls, 60000);
  await waitFor(async () => (await handle.ready()) === true, { what: 'ready again' });
  const clickhouse = createClickHouseClient({ url: server.clickhouseUrl, application: 'callpulse-test' });
  try {
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures([...before, ...during]));
  } finally {
    await clickhouse.close();
  }
  expect(await handle.registry.getSingleMetricAsString('callpulse_reporting_insert_retries_total')).toMatch(/_total\{[^}]*\} [1-9]/);
});
