// The built service (node services/reporting/dist/main.js) as a child process: becomes ready, loads records,
// serves metrics on loopback only, and exits cleanly on SIGTERM after committing.
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { expectedFigures, readFigures } from './support/figures.js';
import { cleanUp, produce, testConfig, testKafka, waitCommittedToEnd } from './support/harness.js';
import { callSet } from './support/records.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const config = testConfig('service');
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const kafka = testKafka();
const clickhouse = createClickHouseClient({ url: config.CLICKHOUSE_URL, application: 'callpulse-test' });

beforeAll(async () => {
  await promisify(execFile)('npx', ['tsc', '-b', 'services/reporting'], { cwd: repoRoot, timeout: 120000 });
}, 150000);

afterAll(async () => {
  await clickhouse.close();
  await cleanUp(config);
});

it('runs as a built service: ready, loads records, serves metrics, stops on SIGTERM', { timeout: 90000 }, async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(repoRoot, 'services/reporting/dist/main.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KAFKA_BROKERS: config.KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: config.KAFKA_TOPIC_PREFIX,
      KAFKA_TOPIC_PARTITIONS: '3',
      CLICKHOUSE_URL: config.CLICKHOUSE_URL,
      CLICKHOUSE_DATABASE: config.CLICKHOUSE_DATABASE,
      REPORTING_GROUP_ID: config.REPORTING_GROUP_ID,
      REPORTING_PORT: String(port),
      REPORTING_FLUSH_INTERVAL_MS: '100',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
      timeoutMs: 30000,
      what: `/readyz (output: ${output})`,
    });
    const records = callSet('svc', 10);
    await produce(kafka, topics.completedCalls, records);
    await waitCommittedToEnd(kafka, config.REPORTING_GROUP_ID, topics.completedCalls);
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures(records));
    // REPORTING_HOST defaults to 127.0.0.1: not reachable on another address, not even another loopback one.
    await expect(fetch(`http://127.0.0.2:${port}/healthz`)).rejects.toThrow();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/callpulse_reporting_rows_inserted_total\{[^}]*table="legs"[^}]*\} 20/);
    expect(metrics).toMatch(/callpulse_reporting_consumer_lag\{/);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(output).not.toMatch(/"level":(50|60)/);
});
