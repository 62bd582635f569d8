// Two reporting instances on one topic. Instance A has taken records and its write is held on the way to ClickHouse
// (its look-up's answer stalls, or its insert) when instance B joins: the group rebalances and B reads the same
// uncommitted records of its partitions. Neither may write what the other writes: no (leg, version) may sum to 2,
// and every figure is exact.
import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { type ReportingService, startReporting } from '../src/service.js';
import { expectedFigures, readFigures } from './support/figures.js';
import { cleanUp, produce, silent, testConfig, testKafka, waitCommittedToEnd } from './support/harness.js';
import { callSet } from './support/records.js';
import { type StallProxy, stallProxy } from './support/stall-proxy.js';

const kafka = testKafka();
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const running: ReportingService[] = [];
const proxies: StallProxy[] = [];
const configs: Array<ReturnType<typeof testConfig>> = [];

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.stop()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  for (const config of configs) await cleanUp(config, [config.REPORTING_GROUP_ID], clickhouseUrl).catch(() => undefined);
  await clickhouse.close();
}, 120000);

async function start(config: ReturnType<typeof testConfig>) {
  const handle = await startReporting(config, { logger: silent, stopDeadlineMs: 2000 });
  running.push(handle);
  return handle;
}

/** (leg, version) pairs whose signs sum to more than 1: a leg counted twice. */
async function doubled(database: string) {
  const result = await clickhouse.query({
    query: `SELECT telephony_session_id, party_id, version, sum(sign) AS s FROM ${escapeIdentifier(database)}.legs GROUP BY telephony_session_id, party_id, version HAVING s > 1`,
    format: 'JSONEachRow',
  });
  return result.json();
}

const metric = async (handle: ReportingService, name: string) =>
  (await handle.registry.getSingleMetric(name)?.get())?.values.reduce((sum, { value }) => sum + value, 0) ?? 0;

/**
 * A writes through proxyA, B through proxyB. A takes records, then proxyA holds A's write (mode); B joins the group.
 * An instance that rejoins while its write is held lets B read and write the same records first; the write landing
 * later doubles them. Released once B has written, or after 15 s if B could not join meanwhile.
 */
async function rebalanceWhileHeld(label: string, mode: 'answers' | 'inserts') {
  const proxyA = await stallProxy(clickhouseUrl);
  const proxyB = await stallProxy(clickhouseUrl);
  proxies.push(proxyA, proxyB);
  const config = testConfig(label, { KAFKA_TOPIC_PARTITIONS: '4', REPORTING_BATCH_ROWS: '1000' });
  configs.push(config);
  const topic = topicNames(config.KAFKA_TOPIC_PREFIX).completedCalls;

  const a = await start({ ...config, CLICKHOUSE_URL: proxyA.url });
  await waitFor(async () => (await a.ready()) === true, { what: 'A ready' });
  const before = callSet(`${label}1`, 12);
  await produce(kafka, topic, before);
  await waitCommittedToEnd(kafka, config.REPORTING_GROUP_ID, topic);

  proxyA.stall(mode);
  const during = callSet(`${label}2`, 40);
  await produce(kafka, topic, during);
  await waitFor(() => proxyA.waiting > 0, { what: "A's write held on its way to ClickHouse" });

  const startingB = start({ ...config, CLICKHOUSE_URL: proxyB.url });
  const b = await Promise.race([startingB, sleep(15000).then(() => undefined)]);
  if (b) {
    // B joined while A's write was still held: give B the time to write the records of its partitions.
    await Promise.race([
      waitFor(async () => {
        const lag = (await b.metrics.consumerLag.get()).values;
        return lag.length > 0 && lag.every(({ value }) => value === 0);
      }),
      sleep(15000),
    ]);
  }
  expect(proxyA.waiting).toBeGreaterThan(0); // A's write is still held: the interleaving this test is about
  proxyA.release();
  await startingB;
  await waitCommittedToEnd(kafka, config.REPORTING_GROUP_ID, topic, 60000);

  expect(await doubled(config.CLICKHOUSE_DATABASE)).toEqual([]);
  expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures([...before, ...during]));
  return a;
}

describe('reporting under a rebalance', () => {
  it('writes nothing for a partition it lost while waiting for ClickHouse to answer its look-up', { timeout: 180000 }, async () => {
    const a = await rebalanceWhileHeld('rbanswer', 'answers');
    expect(await metric(a, 'callpulse_reporting_revoked_messages_dropped_total')).toBeGreaterThan(0);
  });

  it('rejoins only after its insert in flight has landed, so the next owner sees it', { timeout: 180000 }, async () => {
    await rebalanceWhileHeld('rbinsert', 'inserts');
  });
});
