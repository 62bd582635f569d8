// Legs that are no call an agent handled (a received fax, a redirected ring, a supervisor's party) are listed by
// `calls` like every leg, and left out of the agents' figures (callStats from either source, hourlyDensity).
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { gql } from './support/client.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { leg } from './support/records.js';

const iso = isolation(uniqueName('api_noncall'));
const KEY = 'noncall-viewer-key';
const X = 'ext-x700';
const at = (iso8601: string) => Date.parse(iso8601);
const records = [
  leg({ telephonySessionId: 's-n1', extensionId: X, startMs: at('2026-04-01T08:10:00Z'), talkMs: 60000 }),
  leg({ telephonySessionId: 's-n2', extensionId: X, startMs: at('2026-04-01T08:20:00Z'), result: 'Fax', ringMs: 2000 }),
  leg({ telephonySessionId: 's-n3', extensionId: X, startMs: at('2026-04-01T08:30:00Z'), result: 'Redirected', endedBy: 'unknown' }),
  leg({ telephonySessionId: 's-n4', extensionId: X, startMs: at('2026-04-01T08:40:00Z'), result: 'Supervision', talkMs: 30000 }),
];

let reporting: Started;
let api: Started;
const query = (text: string) => gql(api.url, text, { key: KEY });
const range = 'from: "2026-04-01T00:00:00Z", to: "2026-04-02T00:00:00Z"';

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  await produceRecords(iso, records);
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await waitFor(
    async () => {
      const sql = `SELECT count() AS n FROM ${escapeIdentifier(iso.name)}.legs_latest`;
      const rows = (await (await clickhouse.query({ query: sql, format: 'JSONEachRow' })).json()) as Array<{ n: string }>;
      return Number(rows[0]?.n) === records.length;
    },
    { timeoutMs: 60000, what: 'the records in ClickHouse' },
  );
  await clickhouse.close();
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}` });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  await cleanUp(iso);
});

it('lists every leg, its result named', async () => {
  const { data } = await query(`{ calls(filter: {${range}}, first: 10) { totalCount edges { node { result } } } }`);
  expect(data.calls.totalCount).toBe(4);
  expect(data.calls.edges.map((e: { node: { result: string } }) => e.node.result).sort()).toEqual([
    'Answered',
    'Fax',
    'Redirected',
    'Supervision',
  ]);
});

it('counts only the answered call in the agent figures, from the hourly table and from the legs alike', async () => {
  // Without maxima the hourly table answers; asking for maxima makes the legs answer.
  const hourly = await query(`{ callStats(${range}, groupBy: EXTENSION) { calls byResult { result count } } }`);
  const legs = await query(`{ callStats(${range}, groupBy: EXTENSION) { calls talk { maxMs } byResult { result count } } }`);
  for (const { data } of [hourly, legs]) {
    expect(data.callStats).toHaveLength(1);
    expect(data.callStats[0]).toMatchObject({ calls: 1, byResult: [{ result: 'Answered', count: 1 }] });
  }
  expect(legs.data.callStats[0].talk.maxMs).toBe(60000);
  const density = await query(`{ hourlyDensity(${range}) { hour calls } }`);
  const eight = density.data.hourlyDensity.find((h: { hour: number }) => h.hour === 8);
  expect(eight.calls).toBe(1);
});
