// The reports from the time-bucketed sums of migration 0011 (leg_quarter_hours, the durations' histogram,
// extension_days) and from the legs give the same figures, on records written by the real reporting service with
// amendments (-1 rows: legs moved across quarter hours, days and range bounds, results changed into and out of the
// non-call results, extensions changed), a replayed round, starts on and next to quarter hours, rings of whole
// seconds (the service level's boundary), ties, starts at and 1 ms before the business hours' openings and closings
// (clock changes and holidays among their days) and durations across the bins' widths; in zones with whole-hour, :30
// and :45 offsets, with business hours on quarter hours, and the filters each table answers.
import { type CompletedLegRecord, type LegResult, nonCallResults } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { bucketsAnswer } from '../src/history/bucket-source.js';
import type { BusinessHoursFilter } from '../src/history/business-hours-sql.js';
import type { LegRow } from '../src/history/call-node.js';
import { type CallsPageQuery, callsSql, queryCalls } from '../src/history/calls-query.js';
import type { QueryRunner } from '../src/history/clickhouse-runner.js';
import { queryHourlyDensity } from '../src/history/density-query.js';
import { queryDurations } from '../src/history/duration-query.js';
import { queryHeatmap } from '../src/history/heatmap-query.js';
import { type AgentOrderField, agentOrderFields, queryLeaderboard } from '../src/history/leaderboard-query.js';
import type { LegFilter } from '../src/history/leg-filter.js';
import { previousPeriod, queryReportKpis } from '../src/history/report-kpis.js';
import { queryCallStats } from '../src/history/stats-query.js';
import { statsSource } from '../src/history/stats-source.js';
import type { StatsFigures } from '../src/history/stats-types.js';
import { resolveRange, type TimeRange } from '../src/history/time-range.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { randomLegFigures } from './support/random-legs.js';
import { leg } from './support/records.js';

const iso = isolation(uniqueName('api_time_buckets'));
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const runner: QueryRunner = {
  async rows<T>(_name: string, query: { text: string }) {
    return (await clickhouse.query({ query: query.text, format: 'JSONEachRow' })).json<T>();
  },
};

const rand = createRandom(20261130).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const extensions = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-5'];
const results: readonly LegResult[] = [
  'Answered',
  'Answered',
  'Answered',
  'Missed',
  'Voicemail',
  'Cancelled',
  'Transferred',
  'AnsweredElsewhere',
  'Fax',
  'Redirected',
];
const QUARTER = 900_000;

/** Random figures, with rings of whole seconds, repeated values and talks beyond 100 and 1,000 s now and then. */
function figures(): Partial<CompletedLegRecord> {
  const base = randomLegFigures(rand, results);
  const ringMs = rand() < 0.3 ? 1000 * Math.floor(rand() * 40) : rand() < 0.1 ? 7_000 : (base.ringMs ?? 0);
  const talkMs =
    base.talkMs === 0 ? 0 : rand() < 0.1 ? 1_000_000 + Math.floor(rand() * 3_000_000) : rand() < 0.1 ? 100_000 : (base.talkMs ?? 0);
  return { ...base, ringMs, talkMs, holdMs: talkMs === 0 ? 0 : base.holdMs, endedBy: pick(['agent', 'customer', 'unknown'] as const) };
}

/**
 * At and 1 ms before each opening and closing of quarterHours (below) in every zone, on days around the clock changes
 * (New York 03-08, Berlin 03-29), a holiday (03-09, 03-17) and the days next to them: the business hours' boundaries.
 */
function businessHoursEdges(): number[] {
  const days = [
    '2026-03-08',
    '2026-03-09',
    '2026-03-10',
    '2026-03-16',
    '2026-03-17',
    '2026-03-22',
    '2026-03-29',
    '2026-03-30',
    '2026-03-31',
  ];
  const times = ['08:45', '09:00', '10:00', '12:15', '13:30', '14:00', '17:00', '18:00'];
  return ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu'].flatMap((zone) =>
    days.flatMap((day) =>
      times.flatMap((time) => {
        const at = DateTime.fromISO(`${day}T${time}`, { zone }).toMillis();
        return [at - 1, at];
      }),
    ),
  );
}

// Version 1: random starts over 2026-02-20 .. 2026-04-10 UTC, plus starts on and next to quarter hours.
const first = Date.parse('2026-02-20T00:00:00Z');
const span = Date.parse('2026-04-10T00:00:00Z') - first;
const starts = [
  ...Array.from({ length: 500 }, () => first + Math.floor(rand() * span)),
  ...Array.from({ length: 60 }, () => {
    const quarter = first + Math.floor((rand() * span) / QUARTER) * QUARTER;
    return quarter + pick([-1, 0, 1, 60_000 - 1]);
  }),
  // Ties: legs starting in the same millisecond, more than an explorer page of them (the cursor's start is inclusive).
  ...Array.from({ length: 15 }, () => Date.parse('2026-03-20T12:34:56.789Z')),
  ...businessHoursEdges(),
];
const version1 = starts.map((startMs, i) => leg({ telephonySessionId: `s-tb-${i}`, extensionId: pick(extensions), startMs, ...figures() }));
// Amendments: a third get new figures (a fifth of those moved by up to a day either way, some to another extension),
// some of those a third version.
const amend = (record: CompletedLegRecord): CompletedLegRecord => ({
  ...record,
  ...figures(),
  extensionId: rand() < 0.2 ? pick(extensions) : record.extensionId,
  version: record.version + 1,
  startMs: rand() < 0.2 ? record.startMs + Math.floor((rand() - 0.5) * 2 * 86_400_000) : record.startMs,
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

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  const db = escapeIdentifier(iso.name);
  const stored = new Map<string, number>();
  // One round per version (amendments meet stored rows and get -1 rows), the last one replays part of version 2.
  for (const round of [version1, version2, [...version3, ...version2.slice(0, 30)]]) {
    await produceRecords(iso, round);
    for (const record of round) stored.set(record.telephonySessionId, Math.max(record.version, stored.get(record.telephonySessionId) ?? 0));
    const expected = [...stored.values()].reduce((sum, version) => sum + version, 0);
    await waitFor(async () => (await count(`SELECT sum(version) AS n FROM ${db}.legs_latest`)) === expected, {
      timeoutMs: 60000,
      what: 'the round of records in ClickHouse',
    });
  }
  // legs is written before the materialized views' tables of the same INSERT (legs_by_start, which the legs form
  // reads, among them), and an amendment's -1 and +1 rows leave the counts as they were: wait until every table's
  // sums of the figures are the latest versions'.
  const all = [...latest.values()];
  const total = (pick: (record: CompletedLegRecord) => number) => all.reduce((sum, record) => sum + pick(record), 0);
  const ring = total((record) => record.ringMs);
  const phasesMs = total((record) => record.ringMs + record.talkMs + record.holdMs);
  const talk = total((record) => record.talkMs);
  await waitFor(
    async () =>
      (await count(`SELECT sum(sign * version) AS n FROM ${db}.legs_by_start`)) === total((record) => record.version) &&
      (await count(`SELECT sum(sign * ring_ms) AS n FROM ${db}.legs_by_start`)) === ring &&
      (await count(`SELECT sum(sum_ring_ms) AS n FROM ${db}.leg_quarter_hours`)) === ring &&
      (await count(`SELECT sum(sum_legs) AS n FROM ${db}.leg_quarter_hours`)) === all.length &&
      (await count(`SELECT sum(sum_talk_ms) AS n FROM ${db}.extension_days`)) === talk &&
      (await count(`SELECT sum(sum_ms) AS n FROM ${db}.leg_phase_bins`)) === phasesMs &&
      (await count(`SELECT sum(toInt64(phase_ms) * sum_legs) AS n FROM ${db}.leg_phase_values`)) === phasesMs &&
      (await count(`SELECT sum(sum_ms) AS n FROM ${db}.leg_phase_day_bins`)) === phasesMs &&
      (await count(`SELECT sum(toInt64(phase_ms) * sum_legs) AS n FROM ${db}.leg_phase_day_values`)) === phasesMs,
    { timeoutMs: 30000, what: 'the tables of the last round' },
  );
}, 120_000);

afterAll(async () => {
  await reporting?.process.stop();
  await clickhouse.close();
  await cleanUp(iso);
});

const quarterHours = (timeZone: string): BusinessHoursFilter['hours'] => ({
  timeZone,
  week: {
    monday: [{ from: '09:00', to: '17:00' }],
    tuesday: [
      { from: '08:45', to: '12:15' },
      { from: '13:30', to: '18:00' },
    ],
    wednesday: [{ from: '09:00', to: '17:00' }],
    thursday: [{ from: '00:00', to: '24:00' }],
    friday: [{ from: '09:15', to: '16:45' }],
    saturday: [],
    sunday: [{ from: '10:00', to: '14:00' }],
  },
  holidays: ['2026-03-17', '2026-03-09'],
  updatedAtMs: 0,
});

/** A month (March 2026: New York and Berlin change clocks in it) and a week, in each zone. */
const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu'];
const rangesOf = (timeZone: string): TimeRange[] => [
  resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone }, 366),
  resolveRange({ from: '2026-03-09', to: '2026-03-16', timeZone }, 366),
];
const reportFilters = (timeZone: string): Array<{ label: string; filter: LegFilter }> => [
  { label: 'all legs', filter: {} },
  { label: 'the reports’ legs', filter: { excludeResults: nonCallResults } },
  {
    label: 'business hours inside',
    filter: { excludeResults: nonCallResults, businessHours: { mode: 'INSIDE', hours: quarterHours(timeZone) } },
  },
  {
    label: 'business hours outside, Kolkata',
    filter: { excludeResults: nonCallResults, businessHours: { mode: 'OUTSIDE', hours: quarterHours('Asia/Kolkata') } },
  },
  { label: 'weekdays and hours', filter: { excludeResults: nonCallResults, weekdays: [1, 4, 7], hours: [0, 9, 13, 23] } },
];
const quarterOnlyFilters: Array<{ label: string; filter: LegFilter }> = [
  { label: 'inbound answered', filter: { direction: 'Inbound', answered: true, excludeResults: nonCallResults } },
  { label: 'missed by the customer', filter: { results: ['Missed'], endedBy: ['customer'] } },
  { label: 'never answered', filter: { answered: false } },
];

describe('reports from the time buckets and from the legs', () => {
  it('the data has amendments that moved and changed legs, and non-call results', async () => {
    expect(version2.length).toBeGreaterThan(100);
    expect(version3.length).toBeGreaterThan(20);
    const startOf = new Map(version1.map((record) => [record.telephonySessionId, record.startMs]));
    expect(version2.filter((record) => record.startMs !== startOf.get(record.telephonySessionId)).length).toBeGreaterThan(10);
    expect([...latest.values()].filter((record) => nonCallResults.includes(record.result)).length).toBeGreaterThan(10);
    expect(await count(`SELECT count() AS n FROM ${escapeIdentifier(iso.name)}.legs_latest`)).toBe(latest.size);
    expect(await count(`SELECT count() AS n FROM ${escapeIdentifier(iso.name)}.legs WHERE sign = -1`)).toBeGreaterThan(100);
  });

  for (const timeZone of zones) {
    it(`KPIs, callStats, density, heatmap, durations and the leaderboard are equal in ${timeZone}`, async () => {
      for (const range of rangesOf(timeZone)) {
        for (const { label, filter } of [...reportFilters(timeZone), ...quarterOnlyFilters]) {
          const what = `${timeZone} ${range.fromMs} ${label}`;
          const both = { ...range, fromMs: previousPeriod(range).fromMs };
          expect(bucketsAnswer('quarters', both, filter), what).toBe(true);
          for (const seconds of [0, 7, 20]) {
            const fromBuckets = await queryReportKpis(runner, iso.name, range, filter, seconds, true);
            expect(fromBuckets.current.calls, what).toBeGreaterThan(0);
            expect(fromBuckets, `${what} KPIs, service level ${seconds} s`).toEqual(
              await queryReportKpis(runner, iso.name, range, filter, seconds, false),
            );
          }
          expect(await queryHourlyDensity(runner, iso.name, range, filter, true), `${what} density`).toEqual(
            await queryHourlyDensity(runner, iso.name, range, filter, false),
          );
          expect(await queryHeatmap(runner, iso.name, range, filter, true), `${what} heatmap`).toEqual(
            await queryHeatmap(runner, iso.name, range, filter, false),
          );
          const sums: StatsFigures = { byResult: true, maxima: false, percentiles: false };
          for (const groupBy of ['HOUR', 'DAY', 'RESULT', 'DIRECTION'] as const) {
            expect(statsSource(range, groupBy, filter, sums), what).toBe('quarters');
            const quarters = await queryCallStats(runner, iso.name, range, groupBy, filter, sums, 'quarters');
            expect(quarters.length, what).toBeGreaterThan(0);
            expect(quarters, `${what} callStats by ${groupBy}`).toEqual(
              await queryCallStats(runner, iso.name, range, groupBy, filter, sums, 'legs'),
            );
          }
          if (bucketsAnswer('phases', range, filter)) {
            const histogram = await queryDurations(runner, iso.name, range, filter, true);
            expect(histogram.talk.count, what).toBeGreaterThan(0);
            expect(histogram, `${what} durations`).toEqual(await queryDurations(runner, iso.name, range, filter, false));
          }
          if (bucketsAnswer('days', range, filter)) {
            for (const field of Object.keys(agentOrderFields) as AgentOrderField[]) {
              for (const direction of ['ASC', 'DESC'] as const) {
                expect(
                  await queryLeaderboard(runner, iso.name, range, filter, { field, direction }, 4, true),
                  `${what} leaderboard ${field}`,
                ).toEqual(await queryLeaderboard(runner, iso.name, range, filter, { field, direction }, 4, false));
              }
            }
          }
        }
      }
    });
  }

  it('the durations and the leaderboard use their tables for the reports’ legs, and the legs for other filters', () => {
    const month = rangesOf('America/New_York')[0] as TimeRange;
    expect(bucketsAnswer('phases', month, { excludeResults: nonCallResults })).toBe(true);
    expect(bucketsAnswer('days', month, { excludeResults: nonCallResults })).toBe(true);
    expect(bucketsAnswer('days', month, { excludeResults: nonCallResults, extensionIds: ['ext-1'] })).toBe(true);
    expect(bucketsAnswer('phases', month, { excludeResults: ['Fax'] })).toBe(false);
    expect(bucketsAnswer('phases', month, { results: ['Answered'] })).toBe(false);
    expect(bucketsAnswer('days', month, { businessHours: { mode: 'INSIDE', hours: quarterHours('UTC') } })).toBe(false);
  });

  it('the leaderboard over a single day with its partial UTC days, and over a range of whole UTC days', async () => {
    for (const range of [
      resolveRange({ from: '2026-03-10', to: '2026-03-12', timeZone: 'Asia/Kolkata' }, 366),
      resolveRange({ from: '2026-03-01', to: '2026-03-15', timeZone: 'UTC' }, 366),
    ]) {
      const filter = { excludeResults: nonCallResults };
      expect(bucketsAnswer('days', range, filter)).toBe(true);
      const order = { field: 'CALLS' as const, direction: 'DESC' as const };
      const fromDays = await queryLeaderboard(runner, iso.name, range, filter, order, 10, true);
      expect(fromDays.length).toBeGreaterThan(1);
      expect(fromDays).toEqual(await queryLeaderboard(runner, iso.name, range, filter, order, 10, false));
    }
  });

  // One test per zone, filter and direction: together they outgrew one test's minute on a loaded machine.
  const explorerCases = ['America/New_York', 'Asia/Kathmandu'].flatMap((timeZone) =>
    [{}, { businessHours: { mode: 'INSIDE' as const, hours: quarterHours(timeZone) } }, { phoneNumber: '5550' }].flatMap((filter) =>
      (['DESC', 'ASC'] as const).map(
        (direction) => [`${timeZone} ${Object.keys(filter)[0] ?? 'no filter'} ${direction}`, timeZone, filter, direction] as const,
      ),
    ),
  );
  it.each(explorerCases)(
    'the explorer sorted by start: pages from the day at their end, then the range, and totalCount from the quarter hours (%s)',
    async (_name, timeZone, filter, direction) => {
      const asKeys = (rows: LegRow[]) => rows.map((row) => `${row.telephony_session_id}/${row.party_id}`);
      const range = rangesOf(timeZone)[0] as TimeRange;
      const base: CallsPageQuery = { database: iso.name, range, filter, order: { field: 'START', direction }, first: 7 };
      const [total] = await runner.rows<{ total: string }>('count', callsSql(base).count);
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await queryCalls(runner, { ...base, after });
        const expected = await runner.rows<LegRow>('page', callsSql({ ...base, after }).page);
        const what = `${timeZone} ${JSON.stringify(filter).slice(0, 40)} ${direction} page ${pages}`;
        expect(
          page.edges.map((edge) => `${edge.node.telephonySessionId}/${edge.node.partyId}`),
          what,
        ).toEqual(asKeys(expected.slice(0, 7)));
        expect(page.pageInfo.hasNextPage, what).toBe(expected.length > 7);
        expect(page.totalCount, what).toBe(Number(total?.total));
        after = page.pageInfo.endCursor;
        pages += 1;
        if (!page.pageInfo.hasNextPage) break;
      } while (pages < 40);
      expect(pages).toBeGreaterThan(3);
    },
  );
});
