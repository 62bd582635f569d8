// Whatever a client sends and whatever the legs hold, the API answers with data or a client error, never a 5xx,
// "unavailable" or an internal error: 10,000 extension ids of 11 digits, time zones in any case, durations beyond
// 2^31 ms and times beyond what a Date can hold, and a seeded fuzzer of arguments (time zones, ids, cursors, ranges,
// page sizes, enums as variables) against a real API with data. FUZZ_REQUESTS and FUZZ_SEED run a longer or another
// run (the default is the short run of npm test).
import type { CompletedLegRecord } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { type GqlResult, type Json, metricValue } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { leg } from './support/records.js';

const iso = isolation(uniqueName('api_robust'));
const KEY = 'robust-viewer-key';
const at = (iso8601: string) => Date.parse(iso8601);
const services: Started[] = [];
let api: Started;

/** 10,000 extension ids of 11 digits; the legs belong to three of them. */
const manyIds = Array.from({ length: 10000 }, (_, i) => `2${String(i).padStart(10, '0')}`);
const [first, middle, last] = [manyIds[0], manyIds[5000], manyIds[9999]] as [string, string, string];
const HUGE_TALK = 3_000_000_000; // > 2^31 ms, about 35 days
const records: CompletedLegRecord[] = [
  leg({ telephonySessionId: 's-r1', extensionId: first, startMs: at('2026-03-02T08:00:00Z'), talkMs: 60000 }),
  leg({ telephonySessionId: 's-r2', extensionId: middle, startMs: at('2026-03-02T09:00:00Z'), talkMs: 120000, holdMs: 5000 }),
  leg({ telephonySessionId: 's-r3', extensionId: last, startMs: at('2026-03-02T10:00:00Z'), ringMs: 9000, result: 'Missed' }),
  leg({
    telephonySessionId: 's-r4',
    extensionId: middle,
    startMs: at('2026-03-02T11:00:00Z'),
    talkMs: HUGE_TALK,
    holdMs: 2 ** 32 + 5,
    durationMs: HUGE_TALK + 2 ** 32 + 4005,
  }),
  // An end beyond what a JavaScript Date holds.
  leg({ telephonySessionId: 's-r5', extensionId: first, startMs: at('2026-03-02T12:00:00Z'), talkMs: 1000, endMs: 9e15 }),
];

/** Rows of the legs table, written directly: reporting may refuse such values, the API must survive them anyway. */
async function insertLegs(): Promise<void> {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const values = records.map((record) => {
    const row: Record<string, string | number> = {};
    for (const [field, value] of Object.entries(record)) {
      if (field === 'kind') continue;
      row[snake(field)] = typeof value === 'boolean' ? (value ? 1 : 0) : (value as string | number);
    }
    return { ...row, start_time: Math.floor(record.startMs / 1000), sign: 1, inserted_at: Math.floor(Date.now() / 1000) };
  });
  await clickhouse.insert({
    table: `${escapeIdentifier(iso.name)}.legs`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { input_format_skip_unknown_fields: 1 },
  });
  await clickhouse.close();
}

async function ask<T = Record<string, Json>>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Omit<GqlResult<T>, 'status'>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, ...body };
}

beforeAll(async () => {
  const reporting = await startService('reporting', iso); // creates the tables
  services.push(reporting);
  await insertLegs();
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}`, API_MAX_RANGE_DAYS: '366' });
  services.push(api);
});

afterAll(async () => {
  for (const service of services.reverse()) await service.process.stop();
  await cleanUp(iso);
});

const range = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };

describe('10,000 extension ids of 11 digits', () => {
  it('are answered by every history query and by activeCalls', async () => {
    const calls = await ask(
      'query($f: CallFilter) { calls(filter: $f, first: 10, orderBy: {field: START, direction: ASC}) { totalCount edges { node { telephonySessionId } } } }',
      { f: { ...range, extensionIds: manyIds } },
    );
    expect(calls.errors).toBeUndefined();
    expect(calls.data?.calls.totalCount).toBe(5);
    const stats = await ask(
      'query($ids: [ID!]) { callStats(from: "2026-03-02", to: "2026-03-03", extensionIds: $ids) { key calls ring { maxMs } } }',
      { ids: manyIds },
    );
    expect(stats.errors).toBeUndefined();
    expect(stats.data?.callStats.map((group: Json) => group.key).sort()).toEqual([first, middle, last].sort());
    const fast = await ask('query($ids: [ID!]) { callStats(from: "2026-03-02", to: "2026-03-03", extensionIds: $ids) { key calls } }', {
      ids: manyIds,
    });
    expect(fast.errors).toBeUndefined();
    const density = await ask(
      'query($ids: [ID!]) { hourlyDensity(from: "2026-03-02", to: "2026-03-03", extensionIds: $ids) { hour calls } }',
      { ids: manyIds },
    );
    expect(density.errors).toBeUndefined();
    expect(density.data?.hourlyDensity.reduce((sum: number, hour: Json) => sum + hour.calls, 0)).toBe(5);
    const queues = await ask('query($ids: [ID!]) { queueStats(from: "2026-03-02", to: "2026-03-03", queueIds: $ids) { queueId } }', {
      ids: manyIds,
    });
    expect(queues.errors).toBeUndefined();
    const active = await ask('query($ids: [ID!]) { activeCalls(extensionIds: $ids) { partyId } }', { ids: manyIds });
    expect(active.errors).toBeUndefined();
    const tooMany = await ask('query($ids: [ID!]) { activeCalls(extensionIds: $ids) { partyId } }', { ids: [...manyIds, '1'] });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('time zones', () => {
  it('are canonicalised (europe/berlin is Europe/Berlin), and an unknown one is a bad input naming the argument', async () => {
    const stats = (timeZone: string) =>
      ask('query($t: String) { callStats(from: "2026-03-02", to: "2026-03-03", groupBy: HOUR, timeZone: $t) { key calls } }', {
        t: timeZone,
      });
    const canonical = await stats('Europe/Berlin');
    expect(canonical.errors).toBeUndefined();
    expect(canonical.data?.callStats.length).toBeGreaterThan(0);
    for (const spelling of ['europe/berlin', 'EUROPE/BERLIN', 'Europe/berlin']) {
      const result = await stats(spelling);
      expect(result.errors, spelling).toBeUndefined();
      expect(result.data).toEqual(canonical.data);
    }
    for (const zone of ['Asia/Kolkata', 'asia/calcutta', 'utc', 'Etc/GMT+5', 'US/Pacific']) {
      expect((await stats(zone)).errors, zone).toBeUndefined();
      const calls = await ask('query($f: CallFilter) { calls(filter: $f) { totalCount } }', {
        f: { from: '2026-03-02', to: '2026-03-03', timeZone: zone },
      });
      expect(calls.errors, zone).toBeUndefined();
    }
    for (const zone of ['Mars/Olympus', '../../etc', 'Europe/Berlin\u0000', '']) {
      const result = await stats(zone);
      expect(result.errors?.[0]?.extensions?.code, zone).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.extensions?.argument, zone).toBe('timeZone');
    }
  });
});

describe('durations beyond 2^31 ms and times beyond a Date', () => {
  it('never make a page fail', async () => {
    const calls = await ask(
      'query($f: CallFilter) { calls(filter: $f, first: 10, orderBy: {field: TALK, direction: DESC}) { edges { node { telephonySessionId talkMs holdMs durationMs ringMs startTime endTime } } pageInfo { endCursor } } }',
      { f: range },
    );
    expect(calls.errors).toBeUndefined();
    const nodes = calls.data?.calls.edges.map((edge: Json) => edge.node);
    expect(nodes[0]).toMatchObject({ telephonySessionId: 's-r4', talkMs: HUGE_TALK, holdMs: 2 ** 32 + 5 });
    expect(nodes.find((node: Json) => node.telephonySessionId === 's-r5').endTime).toMatch(/^\+275760-09-13T00:00:00\.000Z$/);
    // The next page after the huge leg, by its cursor.
    const page = await ask(
      'query($f: CallFilter, $a: String) { calls(filter: $f, first: 1, after: $a, orderBy: {field: TALK, direction: DESC}) { edges { node { telephonySessionId } } } }',
      { f: range, a: calls.data?.calls.edges[0].cursor ?? null },
    );
    expect(page.errors).toBeUndefined();
    const stats = await ask(
      '{ callStats(from: "2026-03-02", to: "2026-03-03") { key talk { totalMs averageMs maxMs p90Ms } hold { maxMs averageMs } } }',
    );
    expect(stats.errors).toBeUndefined();
    expect(Math.max(...(stats.data?.callStats ?? []).map((group: Json) => group.talk.maxMs))).toBe(HUGE_TALK);
    const minimum = await ask('query($f: CallFilter) { calls(filter: $f) { totalCount } }', {
      f: { ...range, minTalkMs: 2 ** 31 - 1 },
    });
    expect(minimum.errors).toBeUndefined();
    expect(minimum.data?.calls.totalCount).toBe(1);
  });
});

// ---- the fuzzer ----

/** testkit's seeded generator (mulberry32), so a failing run can be repeated with its FUZZ_SEED; int(n) is in [0, n). */
function generator(seed: number) {
  const random = createRandom(seed);
  return { next: random.next, int: (n: number) => random.int(0, n - 1), pick: random.pick };
}

type Random = ReturnType<typeof generator>;

const unicode = ['é', '😀', '\u202e', '\u0000', '\ud800', 'Ω', '中文', '\n', '"', "'", '\\', '`', '%', '../'];

function randomString(r: Random, max = 40): string {
  const length = r.int(max);
  let text = '';
  for (let i = 0; i < length; i++) text += r.next() < 0.2 ? r.pick(unicode) : String.fromCharCode(32 + r.int(95));
  return text;
}

function timeZone(r: Random): unknown {
  return r.pick([
    'europe/berlin',
    'Europe/Berlin',
    'EUROPE/BERLIN',
    'UTC',
    'utc',
    'Asia/Kolkata',
    'America/St_Johns',
    'Etc/GMT+14',
    'Etc/GMT-15',
    '+05:30',
    'Z',
    '../../etc',
    '/etc/passwd',
    'Mars/Olympus',
    '',
    ' ',
    'Europe/Berlín',
    'x'.repeat(10000),
    randomString(r),
    null,
    7,
  ]);
}

function time(r: Random): unknown {
  return r.pick([
    '2026-03-02',
    '2026-03-03T00:00:00Z',
    '2026-03-02T09:00',
    '0000-01-01',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01',
    'NaN',
    'Infinity',
    '',
    '2026-02-30',
    '2026-03-02T25:00',
    '2026-03-02T23:59:60Z',
    '2025-01-01',
    '2027-06-01',
    '1970-01-01',
    '2026-03-02T09:00:00+14:00',
    '2026-03-02T09:00:00-23:59',
    'x'.repeat(5000),
    randomString(r),
    null,
    1e30,
  ]);
}

function ids(r: Random): unknown {
  return r.pick([
    null,
    [],
    [first],
    manyIds,
    [...manyIds, 'one too many'],
    [''],
    ['  '],
    [randomString(r), randomString(r)],
    ["x' OR '1'='1"],
    ['x'.repeat(100000)],
    Array.from({ length: 50 }, () => randomString(r, 12)),
    [null],
    'single',
    42,
    { id: 1 },
  ]);
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

function cursor(r: Random, real: string[]): unknown {
  const one = real.length > 0 ? r.pick(real) : b64(['START', 'DESC', 1, 's', 'p']);
  return r.pick([
    null,
    one,
    one.slice(0, Math.max(1, r.int(one.length))),
    `${one}==`,
    b64(['START', 'DESC', Number.NaN, 's', 'p']),
    b64('["TALK","DESC",1e400,"s","p"]'),
    b64(['START', 'DESC', 2 ** 64, 's', 'p']),
    b64(['START', 'DESC', -1, "s'; DROP TABLE legs; --", 'p']),
    b64(['START', 'DESC', 1, { s: 1 }, 'p']),
    b64(['101', '1001']),
    b64('{"__proto__": {"x": 1}}'),
    b64(randomString(r)),
    Buffer.from(randomString(r)).toString('base64'),
    randomString(r),
    '',
    'x'.repeat(100000),
    7,
  ]);
}

function pageSize(r: Random): unknown {
  return r.pick([null, 0, -1, 1, 50, 500, 501, 2 ** 31 - 1, 2 ** 31, 1e30, 1.5, Number.NaN, '10', true]);
}

function enumValue(r: Random, valid: readonly string[]): unknown {
  return r.pick([...valid, null, valid[0]?.toLowerCase(), '', randomString(r), 1, ['x'], { value: 1 }]);
}

/** A random request: one of the queries, its arguments as variables (some out of range or of the wrong type). */
function randomRequest(r: Random, cursors: string[]): { query: string; variables: Record<string, unknown> } {
  switch (r.int(6)) {
    case 0:
      return {
        query:
          'query($f: CallFilter, $n: Int, $a: String, $o: CallOrder) { calls(filter: $f, first: $n, after: $a, orderBy: $o) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { telephonySessionId extensionId talkMs holdMs durationMs startTime endTime from { phoneNumber } } } } }',
        variables: {
          f: r.pick([
            null,
            {
              from: time(r),
              to: time(r),
              timeZone: timeZone(r),
              extensionIds: ids(r),
              queueIds: ids(r),
              direction: enumValue(r, ['Inbound', 'Outbound']),
              result: r.pick([null, ['Answered'], enumValue(r, ['Answered', 'Missed'])]),
              phoneNumber: r.pick([null, '555', '', 'x'.repeat(65), randomString(r)]),
              minRingMs: r.pick([null, 0, -1, 2 ** 31 - 1, 2 ** 31, 1.5]),
              minTalkMs: r.pick([null, 0, 60000, 2 ** 31 - 1]),
              minHoldMs: r.pick([null, 0, -5]),
            },
            { ...range, timeZone: timeZone(r) },
          ]),
          n: pageSize(r),
          a: cursor(r, cursors),
          o: r.pick([null, { field: enumValue(r, ['START', 'RING', 'TALK', 'HOLD']), direction: enumValue(r, ['ASC', 'DESC']) }]),
        },
      };
    case 1:
      return {
        query:
          'query($from: String, $to: String, $g: StatsGroupBy!, $t: String, $e: [ID!], $q: [ID!]) { callStats(from: $from, to: $to, groupBy: $g, timeZone: $t, extensionIds: $e, queueIds: $q) { key start calls byResult { result count } talk { count totalMs averageMs maxMs p90Ms } } }',
        variables: {
          from: time(r),
          to: time(r),
          g: enumValue(r, ['EXTENSION', 'HOUR', 'DAY', 'RESULT', 'DIRECTION', 'QUEUE']),
          t: timeZone(r),
          e: ids(r),
          q: r.pick([null, ids(r)]),
        },
      };
    case 2:
      return {
        query:
          'query($from: String, $to: String, $t: String, $q: [ID!]) { queueStats(from: $from, to: $to, timeZone: $t, queueIds: $q) { queueId offered averageSpeedOfAnswerMs longestWaitMs serviceLevel } }',
        variables: { from: time(r), to: time(r), t: timeZone(r), q: ids(r) },
      };
    case 3:
      return {
        query:
          'query($from: String, $to: String, $t: String, $e: [ID!]) { hourlyDensity(from: $from, to: $to, timeZone: $t, extensionIds: $e) { hour calls missed } }',
        variables: { from: time(r), to: time(r), t: timeZone(r), e: ids(r) },
      };
    case 4:
      return {
        query:
          'query($s: String, $m: Boolean, $n: Int, $a: String) { extensions(search: $s, monitoredOnly: $m, first: $n, after: $a) { totalCount pageInfo { endCursor } edges { cursor node { id name } } } }',
        variables: {
          s: r.pick([null, '', randomString(r), 'x'.repeat(100000)]),
          m: r.pick([null, true, 'yes']),
          n: pageSize(r),
          a: cursor(r, cursors),
        },
      };
    default:
      return {
        query: 'query($e: [ID!]) { activeCalls(extensionIds: $e) { partyId talkMs } liveSummary { total } }',
        variables: { e: ids(r) },
      };
  }
}

/** Error codes that say the client asked for something wrong or too much. */
const clientCodes = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'QUERY_TOO_COSTLY',
  'QUERY_BUDGET_EXCEEDED',
]);

describe('fuzzed arguments', () => {
  it('get data or client errors, never a 5xx or an internal or unavailable error', async () => {
    const total = Number(process.env.FUZZ_REQUESTS ?? 1000);
    const seed = Number(process.env.FUZZ_SEED ?? 1);
    const r = generator(seed);
    const cursors: string[] = [];
    // Real cursors of both connections, to be truncated and crossed.
    for (const order of ['START', 'TALK']) {
      const page = await ask(
        `query($f: CallFilter) { calls(filter: $f, first: 3, orderBy: {field: ${order}, direction: DESC}) { edges { cursor } } }`,
        { f: range },
      );
      cursors.push(...(page.data?.calls.edges ?? []).map((edge: Json) => edge.cursor));
    }
    expect(cursors.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let withData = 0;
    let sent = 0;
    const worker = async () => {
      while (sent < total && failures.length < 10) {
        sent += 1;
        const request = randomRequest(r, cursors);
        const result = await ask(request.query, request.variables);
        const bad = (result.errors ?? []).filter((error) => !clientCodes.has(String(error.extensions?.code)));
        if (result.status >= 500 || bad.length > 0) {
          failures.push(
            `HTTP ${result.status}: ${JSON.stringify(bad).slice(0, 500)} for ${JSON.stringify(request).slice(0, 800)} (seed ${seed}, request ${sent})`,
          );
        }
        if (result.data && !result.errors) withData += 1;
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(failures).toEqual([]);
    expect(withData).toBeGreaterThan(total / 20); // the fuzzer also reaches ClickHouse, not only the argument checks
    expect(api.process.child.exitCode).toBeNull();
    expect(await metricValue(api.url, 'callpulse_api_errors_total', 'code="INTERNAL"')).toBe(0);
    expect(await metricValue(api.url, 'callpulse_api_errors_total', 'code="SERVICE_UNAVAILABLE"')).toBe(0);
    await waitFor(async () => (await fetch(`${api.url}/readyz`)).ok);
  });
});
