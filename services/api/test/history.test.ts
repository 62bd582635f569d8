// History queries against the real ClickHouse: records go through the built reporting service into a database of
// this test, and the built API answers calls, callStats, queueStats and hourlyDensity from it; bad arguments and
// hostile strings in every filter get clear errors or nothing, and never reach ClickHouse as SQL.
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { gql } from './support/client.js';
import { historyExtensions, historyRecords } from './support/history-records.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_history'));
const ADMIN = 'history-admin-key';
const { A, B } = historyExtensions;
const { first, amendments } = historyRecords();
const records = [...first, ...amendments];

let reporting: Started;
let api: Started;
const query = (text: string, variables?: Record<string, unknown>) => gql(api.url, text, { variables, key: ADMIN });
const range = { from: '2026-03-02T00:00:00Z', to: '2026-03-04T00:00:00Z' };

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  await produceRecords(iso, records);
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  const db = escapeIdentifier(iso.name);
  await waitFor(
    async () => {
      const [legs, sessions] = await Promise.all(
        [
          `SELECT count() AS n FROM ${db}.legs_latest WHERE version = if(telephony_session_id = 's-h6', 2, 1)`,
          `SELECT count() AS n FROM ${db}.sessions_latest`,
        ].map(async (sql) =>
          Number(((await (await clickhouse.query({ query: sql, format: 'JSONEachRow' })).json()) as Array<{ n: string }>)[0]?.n),
        ),
      );
      return legs === 6 && sessions === 4;
    },
    { timeoutMs: 60000, what: 'the records in ClickHouse' },
  );
  await clickhouse.close();
  api = await startService('api', iso, { API_KEYS: `admin:${ADMIN}`, API_MAX_PAGE_SIZE: '100', API_MAX_RANGE_DAYS: '31' });
});

afterAll(async () => {
  expect(await api?.process.stop()).toBe(0);
  await reporting?.process.stop();
  await cleanUp(iso);
});

const callFields =
  'telephonySessionId partyId extensionId direction result endReason endedBy endedDuringHold startTime ringMs talkMs holdMs holdCount';

describe('calls', () => {
  it('returns the stored legs, latest versions, newest first, with the contract fields', async () => {
    const result = await query(
      `query($f: CallFilter) { calls(filter: $f, first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${callFields} } } } }`,
      { f: range },
    );
    expect(result.errors).toBeUndefined();
    const calls = result.data?.calls;
    expect(calls.totalCount).toBe(6);
    expect(calls.pageInfo.hasNextPage).toBe(false);
    expect(calls.edges.map((edge: Json) => edge.node.telephonySessionId)).toEqual(['s-h5', 's-h4', 's-h3', 's-h6', 's-h2', 's-h1']);
    expect(calls.edges[3].node).toEqual({
      telephonySessionId: 's-h6',
      partyId: 's-h6-p1',
      extensionId: A,
      direction: 'Inbound',
      result: 'Answered',
      endReason: null,
      endedBy: 'customer',
      endedDuringHold: false,
      startTime: '2026-03-02T09:05:00.000Z',
      ringMs: 3000,
      talkMs: 90000,
      holdMs: 0,
      holdCount: 0,
    });
  });

  it('pages with cursors, every leg exactly once, in any order', async () => {
    for (const orderBy of [
      { field: 'START', direction: 'ASC' },
      { field: 'TALK', direction: 'DESC' },
      { field: 'RING', direction: 'ASC' },
      { field: 'HOLD', direction: 'DESC' },
    ]) {
      const seen: Array<{ telephonySessionId: string; talkMs: number; ringMs: number; holdMs: number; startTime: string }> = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const result = await query(
          'query($f: CallFilter, $a: String, $o: CallOrder) { calls(filter: $f, first: 4, after: $a, orderBy: $o) { pageInfo { hasNextPage endCursor } edges { node { telephonySessionId talkMs ringMs holdMs startTime } } } }',
          { f: range, a: after, o: orderBy },
        );
        expect(result.errors).toBeUndefined();
        seen.push(...(result.data?.calls.edges ?? []).map((edge: Json) => edge.node));
        if (!result.data?.calls.pageInfo.hasNextPage) break;
        after = result.data?.calls.pageInfo.endCursor;
      }
      expect(seen.map((call) => call.telephonySessionId).sort()).toEqual(['s-h1', 's-h2', 's-h3', 's-h4', 's-h5', 's-h6']);
      const column = { START: 'startTime', TALK: 'talkMs', RING: 'ringMs', HOLD: 'holdMs' }[orderBy.field] as 'talkMs';
      const values = seen.map((call) => call[column]);
      const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      expect(values).toEqual(orderBy.direction === 'ASC' ? sorted : sorted.reverse());
    }
  });

  it('filters by extensions, direction, result, queue, number and minimum durations', async () => {
    const ids = async (filter: Record<string, unknown>) => {
      const result = await query(
        'query($f: CallFilter) { calls(filter: $f, first: 100, orderBy: {field: START, direction: ASC}) { totalCount edges { node { telephonySessionId } } } }',
        {
          f: { ...range, ...filter },
        },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.calls.totalCount).toBe(result.data?.calls.edges.length);
      return result.data?.calls.edges.map((edge: Json) => edge.node.telephonySessionId);
    };
    expect(await ids({ extensionIds: [A], result: ['Answered'] })).toEqual(['s-h1', 's-h6']);
    expect(await ids({ extensionIds: [B] })).toEqual(['s-h3', 's-h4']);
    expect(await ids({ direction: 'Outbound' })).toEqual(['s-h3']);
    expect(await ids({ result: 'Voicemail' })).toEqual(['s-h4']);
    expect(await ids({ queueIds: ['q-1'] })).toEqual(['s-h1', 's-h2']);
    expect(await ids({ phoneNumber: '0188877' })).toEqual(['s-h3']);
    expect(await ids({ minHoldMs: 5000 })).toEqual(['s-h1', 's-h5']);
    expect(await ids({ minTalkMs: 60001, minRingMs: 3000 })).toEqual(['s-h6', 's-h3']);
    expect(await ids({ extensionIds: [] })).toEqual([]);
    expect(await ids({ from: '2026-03-02', to: '2026-03-03', timeZone: 'Asia/Kolkata' })).toEqual(['s-h1', 's-h2', 's-h6', 's-h3', 's-h4']);
  });
});

describe('statistics', () => {
  it('groups by hour in a half-hour time zone', async () => {
    const result = await query(
      'query($r: String, $t: String) { callStats(from: "2026-03-02", to: $r, groupBy: HOUR, timeZone: $t) { key start calls } }',
      { r: '2026-03-04', t: 'Asia/Kolkata' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.callStats).toEqual([
      { key: '2026-03-02T13:00:00.000+05:30', start: '2026-03-02T07:30:00.000Z', calls: 1 },
      { key: '2026-03-02T14:00:00.000+05:30', start: '2026-03-02T08:30:00.000Z', calls: 3 },
      { key: '2026-03-02T15:00:00.000+05:30', start: '2026-03-02T09:30:00.000Z', calls: 1 },
      { key: '2026-03-03T06:00:00.000+05:30', start: '2026-03-03T00:30:00.000Z', calls: 1 },
    ]);
  });

  it('groups by day in the caller zone', async () => {
    const days = async (timeZone: string) =>
      (
        await query(
          `{ callStats(from: "2026-03-01T00:00:00Z", to: "2026-03-05T00:00:00Z", groupBy: DAY, timeZone: "${timeZone}") { key calls } }`,
        )
      ).data?.callStats;
    expect(await days('Asia/Kolkata')).toEqual([
      { key: '2026-03-02', calls: 5 },
      { key: '2026-03-03', calls: 1 },
    ]);
    expect(await days('America/Los_Angeles')).toEqual([{ key: '2026-03-02', calls: 6 }]);
  });

  it('gives counts, averages, maxima and 90th percentiles per extension', async () => {
    const result = await query(
      `{ callStats(from: "${range.from}", to: "${range.to}", groupBy: EXTENSION, extensionIds: ["${A}"]) { key calls inbound outbound byResult { result count } ring { count totalMs averageMs maxMs p90Ms } talk { count totalMs averageMs maxMs p90Ms } hold { count averageMs maxMs p90Ms } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.callStats).toEqual([
      {
        key: A,
        calls: 3,
        inbound: 3,
        outbound: 0,
        byResult: [
          { result: 'Answered', count: 2 },
          { result: 'Missed', count: 1 },
        ],
        ring: { count: 3, totalMs: 27000, averageMs: 9000, maxMs: 20000, p90Ms: 20000 },
        talk: { count: 2, totalMs: 150000, averageMs: 75000, maxMs: 90000, p90Ms: 90000 },
        hold: { count: 1, averageMs: 10000, maxMs: 10000, p90Ms: 10000 },
      },
    ]);
    const byResult = await query(`{ callStats(from: "${range.from}", to: "${range.to}", groupBy: RESULT) { key calls } }`);
    expect(byResult.data?.callStats).toEqual([
      { key: 'Answered', calls: 4 },
      { key: 'Missed', calls: 1 },
      { key: 'Voicemail', calls: 1 },
    ]);
  });

  it('computes queue statistics with the service level', async () => {
    const result = await query(
      `{ queueStats(from: "${range.from}", to: "${range.to}") { queueId queueName offered answered abandoned averageSpeedOfAnswerMs answeredWithinServiceLevel serviceLevel serviceLevelSeconds longestWaitMs } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.queueStats).toEqual([
      {
        queueId: 'q-1',
        queueName: 'Support Line',
        offered: 3,
        answered: 2,
        abandoned: 1,
        averageSpeedOfAnswerMs: 20000,
        answeredWithinServiceLevel: 1,
        serviceLevel: 1 / 3,
        serviceLevelSeconds: 20,
        longestWaitMs: 30000,
      },
      {
        queueId: 'q-2',
        queueName: 'Sales',
        offered: 1,
        answered: 1,
        abandoned: 0,
        averageSpeedOfAnswerMs: 5000,
        answeredWithinServiceLevel: 1,
        serviceLevel: 1,
        serviceLevelSeconds: 20,
        longestWaitMs: 5000,
      },
    ]);
  });

  it('counts legs per hour of the day in the caller zone', async () => {
    const result = await query(
      `{ hourlyDensity(from: "${range.from}", to: "${range.to}", timeZone: "Asia/Kolkata") { hour calls inbound outbound missed voicemail } }`,
    );
    expect(result.errors).toBeUndefined();
    const hours = result.data?.hourlyDensity;
    expect(hours).toHaveLength(24);
    expect(hours.filter((hour: Json) => hour.calls > 0)).toEqual([
      { hour: 6, calls: 1, inbound: 1, outbound: 0, missed: 0, voicemail: 0 },
      { hour: 13, calls: 1, inbound: 1, outbound: 0, missed: 0, voicemail: 0 },
      { hour: 14, calls: 3, inbound: 2, outbound: 1, missed: 1, voicemail: 0 },
      { hour: 15, calls: 1, inbound: 1, outbound: 0, missed: 0, voicemail: 1 },
    ]);
  });
});

describe('bad arguments', () => {
  const message = async (text: string, variables?: Record<string, unknown>) => {
    const result = await query(text, variables);
    expect(result.data?.calls ?? result.data?.callStats ?? null).toBeNull();
    return result.errors?.map((error) => error.message).join(' | ');
  };

  it('names what is wrong', async () => {
    expect(await message('{ callStats(from: "2026-03-02", to: "2026-03-03", timeZone: "Mars/Olympus") { key } }')).toMatch(
      /unknown time zone "Mars\/Olympus"/,
    );
    expect(await message('{ calls(filter: {from: "2026-03-03", to: "2026-03-02"}) { totalCount } }')).toMatch(
      /from \(2026-03-03T00:00:00.000Z\) must be before to/,
    );
    expect(await message('{ calls(filter: {from: "2026-01-01", to: "2026-03-02"}) { totalCount } }')).toMatch(/longer than 31 days/);
    expect(await message('{ calls(filter: {from: "2026-03-02", to: "2026-03-03"}, after: "bm9wZQ") { totalCount } }')).toMatch(
      /after is not a valid cursor/,
    );
    expect(await message('{ calls(first: 101) { totalCount } }')).toMatch(/first must be at most 100/);
    expect(await message('{ calls(filter: {minTalkMs: -1}) { totalCount } }')).toMatch(/minTalkMs must not be negative/);
    expect(await message('{ calls(filter: {from: "last tuesday"}) { totalCount } }')).toMatch(/from is not an ISO-8601 date or time/);
  });
});

describe('hostile strings', () => {
  const hostile = [
    "x' OR '1'='1",
    "'); DROP DATABASE IF EXISTS callpulse; --",
    "\\' OR 1=1 --",
    '` OR 1=1 --',
    "' UNION SELECT name FROM system.tables --",
    "ext-b'; DROP TABLE legs; --\u0000",
  ];

  it('are harmless in every filter and argument', async () => {
    for (const value of hostile) {
      const calls = await query(
        'query($v: String!, $ids: [ID!]) { calls(filter: { from: "2026-03-02", to: "2026-03-04", extensionIds: $ids, queueIds: $ids, phoneNumber: $v }) { totalCount } }',
        { v: value, ids: [value] },
      );
      expect(calls.errors).toBeUndefined();
      expect(calls.data?.calls.totalCount).toBe(0);
      for (const argument of ['from', 'to', 'timeZone']) {
        const result = await query(`query($v: String) { calls(filter: { ${argument}: $v }) { totalCount } }`, { v: value });
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      const cursor = await query('query($v: String) { calls(after: $v) { totalCount } }', { v: value });
      expect(cursor.errors?.[0]?.message).toMatch(/after is not a valid cursor/);
      const enums = await query('query($v: Direction) { calls(filter: { direction: $v }) { totalCount } }', { v: value });
      expect(enums.errors?.[0]?.message).toMatch(/Variable "\$v" got invalid value/);
      for (const field of ['callStats', 'hourlyDensity']) {
        const stats = await query(
          `query($ids: [ID!]) { ${field}(from: "2026-03-02", to: "2026-03-04", extensionIds: $ids) { __typename } }`,
          { ids: [value] },
        );
        expect(stats.errors).toBeUndefined();
      }
      const queues = await query('query($ids: [ID!]) { queueStats(from: "2026-03-02", to: "2026-03-04", queueIds: $ids) { queueId } }', {
        ids: [value],
      });
      expect(queues.data?.queueStats).toEqual([]);
      const extensions = await query('query($v: String) { extensions(search: $v, after: null) { totalCount } }', { v: value });
      expect(extensions.errors).toBeUndefined();
    }
    // The stored id with SQL in it matches itself exactly, and everything is still there.
    const exact = await query(
      'query($ids: [ID!]) { calls(filter: { from: "2026-03-02", to: "2026-03-04", extensionIds: $ids }) { totalCount } }',
      { ids: [B] },
    );
    expect(exact.data?.calls.totalCount).toBe(2);
    const all = await query(`{ calls(filter: { from: "${range.from}", to: "${range.to}" }) { totalCount } }`);
    expect(all.data?.calls.totalCount).toBe(6);
  });
});
