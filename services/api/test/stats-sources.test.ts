// callStats from extension_hourly and from the legs give the same figures, group by group, on data with amendments
// (-1 rows written by the real reporting service, amended legs moved across hours and days, results changed), range
// bounds and daylight-saving changes, and both equal the figures computed here from the records themselves (and
// leg_quarter_hours, migration 0011, by hour, day, result and direction: time-buckets.test.ts has its cases). The API
// picks the hourly table only when the selection (through fragments and aliases) asks for no maximum or percentile.
import { type CompletedLegRecord, legResults } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import type { QueryRunner } from '../src/history/clickhouse-runner.js';
import type { LegFilter } from '../src/history/leg-filter.js';
import { queryCallStats } from '../src/history/stats-query.js';
import { statsSource } from '../src/history/stats-source.js';
import type { StatsFigures, StatsGroup, StatsGrouping } from '../src/history/stats-types.js';
import { hasWholeHourOffsets, isoInZone, resolveRange, type TimeRange } from '../src/history/time-range.js';
import { gql, type Json, metricValue } from './support/client.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { randomLegFigures } from './support/random-legs.js';
import { leg } from './support/records.js';

const iso = isolation(uniqueName('api_stats_sources'));
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const runner: QueryRunner = {
  async rows<T>(_name: string, query: { text: string }) {
    return (await clickhouse.query({ query: query.text, format: 'JSONEachRow' })).json<T>();
  },
};

// testkit's seeded generator (mulberry32), so a failure can be replayed.
const rand = createRandom(20260306).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const extensions = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-5', 'ext-6'];
const zones = ['UTC', 'America/New_York', 'Europe/Berlin'];
const rangeOf = (timeZone: string): TimeRange => resolveRange({ from: '2026-03-06', to: '2026-04-01', timeZone }, 366);

const figures = () => randomLegFigures(rand);

// Version 1 of every leg: random starts from 2026-03-05 to 2026-04-01 12:00 UTC, plus legs on and next to each zone's
// range bounds.
const first = Date.parse('2026-03-05T00:00:00Z');
const span = Date.parse('2026-04-01T12:00:00Z') - first;
const starts = [
  ...Array.from({ length: 360 }, () => first + Math.floor(rand() * span)),
  ...zones.flatMap((zone) => [rangeOf(zone).fromMs, rangeOf(zone).toMs].flatMap((bound) => [bound - 1, bound, bound + 1])),
];
const version1 = starts.map((startMs, i) =>
  leg({ telephonySessionId: `s-src-${i}`, extensionId: pick(extensions), startMs, ...figures() }),
);
// Amendments: version 2 of about a third of the legs with new figures (a tenth of them also moved by up to 90
// minutes either way, across hours, days and range bounds), version 3 of some of those.
const amend = (record: CompletedLegRecord): CompletedLegRecord => ({
  ...record,
  ...figures(),
  version: record.version + 1,
  startMs: rand() < 0.1 ? record.startMs + Math.floor((rand() - 0.5) * 180 * 60_000) : record.startMs,
});
const version2 = version1.filter(() => rand() < 0.35).map(amend);
const version3 = version2.filter(() => rand() < 0.3).map(amend);
const latest = new Map<string, CompletedLegRecord>();
for (const record of [...version1, ...version2, ...version3]) latest.set(record.telephonySessionId, record);

async function count(sql: string): Promise<number> {
  const rows = await (await clickhouse.query({ query: sql, format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0]?.n);
}

let reporting: Started;
let api: Started;

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  const db = escapeIdentifier(iso.name);
  // One round per version, each stored before the next is sent, so amendments meet stored rows and get -1 rows.
  const stored = new Map<string, number>(); // leg -> highest version sent
  for (const round of [version1, [...version2, ...version1.slice(0, 20)], version3]) {
    await produceRecords(iso, round);
    for (const record of round) stored.set(record.telephonySessionId, Math.max(record.version, stored.get(record.telephonySessionId) ?? 0));
    const expected = [...stored.values()].reduce((sum, version) => sum + version, 0);
    await waitFor(async () => (await count(`SELECT sum(version) AS n FROM ${db}.legs_latest`)) === expected, {
      timeoutMs: 60000,
      what: 'the round of records in ClickHouse',
    });
  }
  // legs is written before the materialized views' tables of the same INSERT (legs_by_start, extension_hourly,
  // leg_quarter_hours, which the forms compared here read), and an amendment's -1 and +1 rows leave the counts as they
  // were: wait until every table's sums are the latest versions'.
  const all = [...latest.values()];
  const total = (pick: (record: CompletedLegRecord) => number) => all.reduce((sum, record) => sum + pick(record), 0);
  const ring = total((record) => record.ringMs);
  const talk = total((record) => record.talkMs);
  await waitFor(
    async () =>
      (await count(`SELECT sum(sign * version) AS n FROM ${db}.legs_by_start`)) === total((record) => record.version) &&
      (await count(`SELECT sum(sign * talk_ms) AS n FROM ${db}.legs_by_start`)) === talk &&
      (await count(`SELECT sum(sum_talk_ms) AS n FROM ${db}.extension_hourly`)) === talk &&
      (await count(`SELECT sum(sum_legs) AS n FROM ${db}.extension_hourly`)) === all.length &&
      (await count(`SELECT sum(sum_ring_ms) AS n FROM ${db}.leg_quarter_hours`)) === ring &&
      (await count(`SELECT sum(sum_legs) AS n FROM ${db}.leg_quarter_hours`)) === all.length,
    { timeoutMs: 30000, what: 'the materialized views of the last round' },
  );
  api = await startService('api', iso);
});

afterAll(async () => {
  expect(await api?.process.stop()).toBe(0);
  await reporting?.process.stop();
  await clickhouse.close();
  await cleanUp(iso);
});

/** The figures computed here from the latest version of every record, as callStats shows them. */
function truth(range: TimeRange, groupBy: StatsGrouping, filter: LegFilter, wanted: StatsFigures): StatsGroup[] {
  const groups = new Map<string, { sortKey: string; key: string; start: string | null; legs: CompletedLegRecord[] }>();
  for (const record of latest.values()) {
    if (record.startMs < range.fromMs || record.startMs >= range.toMs) continue;
    if (filter.extensionIds && !filter.extensionIds.includes(record.extensionId)) continue;
    const local = DateTime.fromMillis(record.startMs, { zone: range.timeZone });
    let group: { sortKey: string; key: string; start: string | null };
    if (groupBy === 'HOUR') {
      const start = local.startOf('hour').toMillis();
      group = { sortKey: String(start / 1000), key: isoInZone(start, range.timeZone), start: new Date(start).toISOString() };
    } else if (groupBy === 'DAY') {
      const key = local.toISODate() ?? '';
      group = { sortKey: key, key, start: new Date(local.startOf('day').toMillis()).toISOString() };
    } else {
      const key = groupBy === 'EXTENSION' ? record.extensionId : groupBy === 'RESULT' ? record.result : record.direction;
      group = { sortKey: key, key, start: null };
    }
    const entry = groups.get(group.sortKey) ?? { ...group, legs: [] };
    entry.legs.push(record);
    groups.set(group.sortKey, entry);
  }
  const duration = (values: number[]) => {
    const had = values.filter((value) => value > 0).sort((a, b) => a - b);
    const totalMs = had.reduce((sum, value) => sum + value, 0);
    return {
      count: had.length,
      totalMs,
      averageMs: had.length === 0 ? 0 : Math.round(totalMs / had.length),
      maxMs: wanted.maxima ? (had.at(-1) ?? 0) : 0,
      p90Ms: wanted.percentiles ? (had[Math.floor(0.9 * had.length)] ?? 0) : 0,
    };
  };
  return [...groups.values()]
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ key, start, legs }) => ({
      key,
      label: null,
      start,
      calls: legs.length,
      inbound: legs.filter((record) => record.direction === 'Inbound').length,
      outbound: legs.filter((record) => record.direction === 'Outbound').length,
      byResult: wanted.byResult
        ? legResults
            .map((result) => ({ result, count: legs.filter((record) => record.result === result).length }))
            .filter((entry) => entry.count > 0)
        : [],
      ring: duration(legs.map((record) => record.ringMs)),
      talk: duration(legs.map((record) => record.talkMs)),
      hold: duration(legs.map((record) => record.holdMs)),
    }));
}

const sums: StatsFigures = { byResult: true, maxima: false, percentiles: false };
const all: StatsFigures = { byResult: true, maxima: true, percentiles: true };
const groupings: StatsGrouping[] = ['EXTENSION', 'HOUR', 'DAY', 'RESULT', 'DIRECTION'];
const filters: LegFilter[] = [{}, { extensionIds: ['ext-2', 'ext-5'] }];

describe('callStats from extension_hourly and from the legs', () => {
  it('the data has amendments that moved and changed legs', async () => {
    expect(version2.length).toBeGreaterThan(50);
    expect(version3.length).toBeGreaterThan(10);
    const startOf = new Map(version1.map((record) => [record.telephonySessionId, record.startMs]));
    expect(version2.filter((record) => record.startMs !== startOf.get(record.telephonySessionId)).length).toBeGreaterThan(2);
    expect(await count(`SELECT count() AS n FROM ${escapeIdentifier(iso.name)}.legs_latest`)).toBe(latest.size);
  });

  for (const timeZone of zones) {
    for (const groupBy of groupings) {
      it(`are equal group by group, and equal to the records, by ${groupBy} in ${timeZone}`, async () => {
        const range = rangeOf(timeZone);
        for (const filter of filters) {
          // leg_quarter_hours (migration 0011) for what it has the key of: no extension in it.
          const quarters = groupBy !== 'EXTENSION' && filter.extensionIds == null;
          expect(statsSource(range, groupBy, filter, sums)).toBe(quarters ? 'quarters' : 'hourly');
          const hourly = await queryCallStats(runner, iso.name, range, groupBy, filter, sums, 'hourly');
          const legs = await queryCallStats(runner, iso.name, range, groupBy, filter, sums, 'legs');
          expect(hourly.length).toBeGreaterThan(1);
          expect(hourly).toEqual(legs);
          expect(hourly).toEqual(truth(range, groupBy, filter, sums));
          if (quarters) expect(await queryCallStats(runner, iso.name, range, groupBy, filter, sums, 'quarters')).toEqual(legs);
          // With maxima and exact percentiles, from the legs.
          expect(statsSource(range, groupBy, filter, all)).toBe('legs');
          expect(await queryCallStats(runner, iso.name, range, groupBy, filter, all)).toEqual(truth(range, groupBy, filter, all));
        }
      });
    }
  }

  it('ranges on whole UTC hours in a half-hour zone: the hourly table for extensions, the quarter hours for hours and days', async () => {
    const range = resolveRange({ from: '2026-03-06T00:00:00Z', to: '2026-03-20T00:00:00Z', timeZone: 'Asia/Kolkata' }, 366);
    expect(statsSource(range, 'EXTENSION', {}, sums)).toBe('hourly');
    expect(await queryCallStats(runner, iso.name, range, 'EXTENSION', {}, sums)).toEqual(truth(range, 'EXTENSION', {}, sums));
    for (const groupBy of ['HOUR', 'DAY'] as const) {
      expect(statsSource(range, groupBy, {}, sums)).toBe('quarters');
      expect(await queryCallStats(runner, iso.name, range, groupBy, {}, sums)).toEqual(truth(range, groupBy, {}, sums));
      // The check matters: the hourly table cannot give +05:30 hours and days.
      expect(await queryCallStats(runner, iso.name, range, groupBy, {}, sums, 'hourly')).not.toEqual(truth(range, groupBy, {}, sums));
    }
  });

  it('falls back to the legs for local midnights of half-hour zones, queues, queue filters and other zones', () => {
    const kolkata = rangeOf('Asia/Kolkata'); // 2026-03-05T18:30Z: not a whole UTC hour
    expect(statsSource(kolkata, 'EXTENSION', {}, sums)).toBe('legs');
    expect(statsSource(rangeOf('UTC'), 'QUEUE', {}, sums)).toBe('legs');
    expect(statsSource(rangeOf('UTC'), 'EXTENSION', { queueIds: ['q-1'] }, sums)).toBe('legs');
    expect(statsSource(rangeOf('UTC'), 'EXTENSION', {}, { ...sums, percentiles: true })).toBe('legs');
    // A range of a week or less: its legs (legs_by_start reads the range alone; extension_hourly reads whole months).
    const days = (from: string, to: string) => resolveRange({ from, to, timeZone: 'America/New_York' }, 366);
    expect(statsSource(days('2026-03-06', '2026-03-07'), 'EXTENSION', {}, sums)).toBe('legs');
    expect(statsSource(days('2026-03-02', '2026-03-09'), 'EXTENSION', {}, sums)).toBe('legs');
    expect(statsSource(days('2026-03-02', '2026-03-10'), 'EXTENSION', {}, sums)).toBe('hourly');
    // By hour or day, leg_quarter_hours (ordered by time) whatever the length; the legs off quarter hours.
    for (const groupBy of ['HOUR', 'DAY'] as const) {
      expect(statsSource(days('2026-03-06', '2026-03-07'), groupBy, {}, sums)).toBe('quarters');
      expect(statsSource(days('2026-03-02', '2026-03-10'), groupBy, {}, sums)).toBe('quarters');
      const odd = resolveRange({ from: '2026-03-06T10:05:00Z', to: '2026-03-07T00:00:00Z', timeZone: 'UTC' }, 366);
      expect(statsSource(odd, groupBy, {}, sums)).toBe('legs');
      expect(statsSource(days('2026-03-02', '2026-03-10'), groupBy, { phoneNumber: '555' }, sums)).toBe('legs');
    }
    const utcBounds = { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' };
    for (const timeZone of ['America/St_Johns', 'Australia/Adelaide', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      expect(hasWholeHourOffsets(resolveRange({ ...utcBounds, timeZone }, 366)), timeZone).toBe(false);
    }
    for (const timeZone of ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago', 'Asia/Tokyo']) {
      expect(hasWholeHourOffsets(resolveRange({ ...utcBounds, timeZone }, 366)), timeZone).toBe(true);
    }
  });
});

describe('callStats through the API', () => {
  const variables = { from: '2026-03-06', to: '2026-04-01', zone: 'Europe/Berlin' };
  const ran = (query: string) => metricValue(api.url, 'callpulse_api_clickhouse_query_seconds_count', `query="${query}"`);

  async function answer(text: string): Promise<{ data: Json; hourly: number; legs: number }> {
    const [hourlyBefore, legsBefore] = [await ran('call_stats_hourly'), await ran('call_stats')];
    const result = await gql(api.url, text, { variables });
    expect(result.errors).toBeUndefined();
    return { data: result.data, hourly: (await ran('call_stats_hourly')) - hourlyBefore, legs: (await ran('call_stats')) - legsBefore };
  }

  const expected = (wanted: StatsFigures) => truth(rangeOf('Europe/Berlin'), 'EXTENSION', {}, wanted);

  it('answers from extension_hourly when no maximum or percentile is selected, through fragments and aliases', async () => {
    const { data, hourly, legs } = await answer(`
      query Stats($from: String, $to: String, $zone: String) {
        perAgent: callStats(from: $from, to: $to, groupBy: EXTENSION, timeZone: $zone) { ...Group }
      }
      fragment Group on StatsGroup {
        key calls inbound outbound results: byResult { result count }
        ring { ...Durations } talk { ... on DurationStats { count totalMs averageMs } } hold { count totalMs averageMs }
      }
      fragment Durations on DurationStats { count totalMs averageMs }`);
    expect({ hourly, legs }).toEqual({ hourly: 1, legs: 0 });
    expect(data.perAgent).toEqual(
      expected(sums).map((group) => ({
        key: group.key,
        calls: group.calls,
        inbound: group.inbound,
        outbound: group.outbound,
        results: group.byResult,
        ...Object.fromEntries(
          (['ring', 'talk', 'hold'] as const).map((phase) => [
            phase,
            { count: group[phase].count, totalMs: group[phase].totalMs, averageMs: group[phase].averageMs },
          ]),
        ),
      })),
    );
  });

  it('reads the legs when a fragment or an alias selects maxMs or p90Ms', async () => {
    const maxima = await answer(`
      query Stats($from: String, $to: String, $zone: String) {
        callStats(from: $from, to: $to, groupBy: EXTENSION, timeZone: $zone) { key ring { ...Durations } }
      }
      fragment Durations on DurationStats { count longest: maxMs }`);
    expect({ hourly: maxima.hourly, legs: maxima.legs }).toEqual({ hourly: 0, legs: 1 });
    expect(maxima.data.callStats).toEqual(
      expected(all).map((group) => ({ key: group.key, ring: { count: group.ring.count, longest: group.ring.maxMs } })),
    );
    const percentiles = await answer(`
      query Stats($from: String, $to: String, $zone: String) {
        callStats(from: $from, to: $to, groupBy: EXTENSION, timeZone: $zone) { key hold { ... on DurationStats { p90: p90Ms } } }
      }`);
    expect({ hourly: percentiles.hourly, legs: percentiles.legs }).toEqual({ hourly: 0, legs: 1 });
    expect(percentiles.data.callStats).toEqual(expected(all).map((group) => ({ key: group.key, hold: { p90: group.hold.p90Ms } })));
  });
});
