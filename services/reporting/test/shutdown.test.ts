// stop() writes what waits in the buffer and commits it, even when the flush interval is far away.
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { afterAll, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.js';
import { startReporting } from '../src/service.js';
import { expectedFigures, readFigures } from './support/figures.js';
import { cleanUp, committedToEnd, produce, silent, testConfig, testKafka } from './support/harness.js';
import { callSet } from './support/records.js';

const config = testConfig('shutdown', { REPORTING_FLUSH_INTERVAL_MS: '600000' });
const kafka = testKafka();
const clickhouse = createClickHouseClient({ url: config.CLICKHOUSE_URL, application: 'callpulse-test' });

afterAll(async () => {
  await clickhouse.close();
  await cleanUp(config);
});

it('flushes and commits the buffered records on stop', async () => {
  const reporting = await startReporting(config, { logger: silent });
  const records = callSet('sd', 5);
  const topic = topicNames(config.KAFKA_TOPIC_PREFIX).completedCalls;
  await produce(kafka, topic, records);
  await waitFor(async () => (await reporting.metrics.buffered.get()).values[0]?.value === records.length, { what: 'records buffered' });
  expect(await committedToEnd(kafka, config.REPORTING_GROUP_ID, topic)).toBe(false);
  await reporting.stop();
  expect(await committedToEnd(kafka, config.REPORTING_GROUP_ID, topic)).toBe(true);
  expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures(records));
});
