// The number search read through migration 0014's index (number-search.ts) gives exactly what the per-row test alone
// gives: the explorer's pages and totalCount, the export and the reports, on legs whose amendments change a number
// (a superseded version's number must not match when the latest's does not, and the other way round), on both sides,
// for full numbers, their last digits, parts inside them, a part of no number, a part of most numbers (more start
// times than the index serves) and a part too short for the index; duplicated index rows (a backfill run again)
// change nothing. The index must hold every number of every stored row, +1 and -1 alike.
import type { CompletedLegRecord } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier, type Sql } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { callsExportSql, callsSql } from '../src/history/calls-query.js';
import type { QueryRunner } from '../src/history/clickhouse-runner.js';
import { durationSql } from '../src/history/duration-query.js';
import { heatmapSql } from '../src/history/heatmap-query.js';
import type { LegFilter } from '../src/history/leg-filter.js';
import { indexable, MAX_INDEXED_STARTS, numberSearchPlan, withNumberStarts } from '../src/history/number-search.js';
import { kpisSql } from '../src/history/report-kpis.js';
import { statsSql } from '../src/history/stats-sql.js';
import { resolveRange } from '../src/history/time-range.js';
import { migrateTestDatabase } from './support/migrate.js';
import { leg } from './support/records.js';
import { storeRecords } from './support/stored-rows.js';

const db = uniqueName('api_number_search');
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const rand = createRandom(20261214).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

const company = '+15550170999';
/** Callers: a pool of numbers (some sharing their last digits), an extension's short number, no number. */
const shared = digits(4);
const pool = [
  ...Array.from({ length: 60 }, () => `+1555${digits(7)}`),
  ...Array.from({ length: 6 }, () => `+1444${digits(3)}${shared}`),
  '+442079460000',
  '101',
  '',
];
const first = Date.parse('2026-03-01T00:00:00Z');
const span = 31 * 86_400_000;
/** Legs, inbound (caller from the pool, callee the company) and outbound (the other way round). */
const version1: CompletedLegRecord[] = Array.from({ length: MAX_INDEXED_STARTS + 500 }, (_, i) => {
  const caller = pick(pool);
  const inbound = rand() < 0.6;
  return leg({
    telephonySessionId: `s-ns-${i}`,
    extensionId: pick(['ext-1', 'ext-2', 'ext-3']),
    startMs: first + Math.floor(rand() * span),
    direction: inbound ? 'Inbound' : 'Outbound',
    fromNumber: inbound ? caller : company,
    toNumber: inbound ? company : caller,
    talkMs: rand() < 0.7 ? Math.floor(rand() * 300_000) : 0,
  });
});
/** Amendments: the outside number changed (to another of the pool or to a number of its own), some moved by a day. */
const only = `+1666${digits(7)}`; // a number of superseded versions only
const amend = (record: CompletedLegRecord, number: string): CompletedLegRecord => {
  const inbound = record.direction === 'Inbound';
  const startMs = rand() < 0.3 ? record.startMs + Math.floor((rand() - 0.5) * 2 * 86_400_000) : record.startMs;
  return {
    ...record,
    startMs,
    fromNumber: inbound ? number : record.fromNumber,
    toNumber: inbound ? record.toNumber : number,
    talkMs: Math.floor(rand() * 300_000),
    version: record.version + 1,
  };
};
const version2 = version1.filter(() => rand() < 0.3).map((record, i) => amend(record, i < 20 ? only : pick(pool)));
const version3 = version2.filter(() => rand() < 0.4).map((record) => amend(record, pick(pool)));

const rows = async <T = Record<string, unknown>>(query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
const runner: QueryRunner = { rows: (_name, query) => rows(query.text) };
const table = (name: string) => `${escapeIdentifier(db)}.${escapeIdentifier(name)}`;

beforeAll(async () => {
  await migrateTestDatabase(db);
  const byId = new Map(version1.map((record) => [record.telephonySessionId, record]));
  await storeRecords(db, version1);
  for (const round of [version2, version3]) {
    const cancelled = round.map((record) => byId.get(record.telephonySessionId) as CompletedLegRecord);
    await storeRecords(db, round, cancelled);
    for (const record of round) byId.set(record.telephonySessionId, record);
  }
}, 120_000);

afterAll(async () => {
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(db)}` });
  await clickhouse.close();
});

/**
 * The query as the per-row test alone would run it: each of the index's conditions (numberIndexCondition, for whatever
 * range the query gives it: the KPIs' is the range and its previous period) replaced by 1.
 */
function perRow(query: Sql): string {
  const start = `start_time IN (SELECT start_time FROM ${table('leg_number_starts')}`;
  let text = query.text;
  for (let at = text.indexOf(start); at >= 0; at = text.indexOf(start)) {
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    text = `${text.slice(0, at)}1${text.slice(end + 1)}`;
  }
  return text;
}

/** The query gives what the per-row test alone gives; whether it read the index. */
async function same(query: Sql): Promise<boolean> {
  const alone = perRow(query);
  const [withIndex, before] = await Promise.all([rows(query.text), rows(alone)]);
  expect(withIndex).toEqual(before);
  return alone !== query.text;
}

const month = resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone: 'America/New_York' }, 366);
const week = resolveRange({ from: '2026-03-09', to: '2026-03-16', timeZone: 'Asia/Kolkata' }, 366);
const someCaller = pool[3] as string;

describe('the number search through its index', () => {
  it('has the index of every number of every stored row, +1 and -1 alike', async () => {
    const sides = `SELECT DISTINCT toYYYYMM(start_time) AS month, arrayJoin([from_number, to_number]) AS number, start_time FROM ${table('legs')}`;
    const [missing] = await rows<{ suffixes: string; starts: string; minus: string }>(
      `SELECT
        (SELECT count() FROM (${sides}) WHERE length(number) >= 4 AND (month, substring(number, length(number) - 3), number) NOT IN (SELECT month, suffix, number FROM ${table('leg_number_suffixes')})) AS suffixes,
        (SELECT count() FROM (${sides}) WHERE length(number) >= 4 AND (number, start_time) NOT IN (SELECT number, start_time FROM ${table('leg_number_starts')})) AS starts,
        (SELECT count() FROM ${table('legs')} WHERE sign = -1) AS minus`,
    );
    expect(Number(missing?.suffixes)).toBe(0);
    expect(Number(missing?.starts)).toBe(0);
    expect(Number(missing?.minus)).toBeGreaterThan(150);
    // Every suffix row is a suffix of its number.
    const [wrong] = await rows<{ n: string }>(
      `SELECT count() AS n FROM ${table('leg_number_suffixes')} WHERE NOT endsWith(number, suffix) OR length(suffix) < 4`,
    );
    expect(Number(wrong?.n)).toBe(0);
  });

  it('gives the per-row test’s pages, counts, export and reports for every kind of part', async () => {
    const searches = [
      someCaller, // a full number
      someCaller.slice(-4), // its last digits
      someCaller.slice(3, 10), // a part inside it
      shared, // last digits of several numbers
      only, // a number of superseded versions only
      only.slice(-5),
      company.slice(-7), // the callee's side (and the caller's, outbound): every leg, more start times than the index serves
      '+1555', // most numbers
      '99999999999', // no number
      '101', // too short for the index: the per-row test alone
    ];
    const plans: string[] = [];
    let matched = 0;
    for (const part of searches) {
      for (const range of [month, week]) {
        const counted = await withNumberStarts(runner, db, range, { phoneNumber: part });
        const plan = numberSearchPlan(part, db, counted.phoneNumberStarts);
        plans.push(plan);
        // As counted, and with the index whatever the count (it must be exact either way).
        const forced: LegFilter = { phoneNumber: part, phoneNumberStarts: 0 };
        for (const filter of plan === 'index' || !indexable(part) ? [counted] : [counted, forced]) {
          const indexed = numberSearchPlan(part, db, filter.phoneNumberStarts) === 'index';
          const calls = callsSql({ database: db, range, filter, order: { field: 'START', direction: 'DESC' }, first: 10_000 });
          const [count] = await rows<{ total: string }>(calls.count.text);
          const total = Number(count?.total);
          expect((await rows(calls.page.text)).length).toBe(total);
          expect(await same(calls.page)).toBe(indexed);
          expect(await same(calls.count)).toBe(indexed);
          matched += total;
          const paged = callsSql({ database: db, range, filter, order: { field: 'TALK', direction: 'ASC' }, first: 7 });
          await same(paged.page);
          expect(await same(callsExportSql({ database: db, range, filter, order: { field: 'START', direction: 'ASC' } }))).toBe(indexed);
          expect(await same(kpisSql(db, range, filter, 20))).toBe(indexed);
          await same(statsSql(db, range, 'DAY', filter, { byResult: true, maxima: true, percentiles: true }));
          await same(statsSql(db, range, 'EXTENSION', filter, { byResult: false, maxima: false, percentiles: false }));
          expect(await same(heatmapSql(db, range, filter))).toBe(indexed);
          expect(await same(durationSql(db, range, filter))).toBe(indexed);
          // With other filters: an extension (legs_by_extension) and a direction.
          for (const more of [{ extensionIds: ['ext-2'] }, { direction: 'Outbound' }] as LegFilter[]) {
            const both = callsSql({
              database: db,
              range,
              filter: { ...filter, ...more },
              order: { field: 'START', direction: 'DESC' },
              first: 10_000,
            });
            expect(await same(both.page)).toBe(indexed);
            await same(both.count);
          }
        }
      }
    }
    expect(matched).toBeGreaterThan(MAX_INDEXED_STARTS);
    // Each way was taken: the index, the count over MAX_INDEXED_STARTS, a part too short.
    expect(plans.filter((plan) => plan === 'index').length).toBeGreaterThan(10);
    expect(plans.filter((plan, i) => plan === 'scan' && indexable(searches[Math.floor(i / 2)] as string)).length).toBeGreaterThan(0);
    expect(plans.filter((plan, i) => plan === 'scan' && !indexable(searches[Math.floor(i / 2)] as string)).length).toBe(2);
  }, 300_000);

  it('finds the latest version’s number, not a superseded one', async () => {
    // `only` was the number of 20 legs' version 2; some of them have a version 3 with another number.
    const filter: LegFilter = { phoneNumber: only, phoneNumberStarts: 0 };
    const [count] = await rows<{ total: string }>(
      callsSql({ database: db, range: month, filter, order: { field: 'START', direction: 'DESC' }, first: 50 }).count.text,
    );
    const latest = new Map<string, CompletedLegRecord>();
    for (const record of [...version1, ...version2, ...version3]) latest.set(record.telephonySessionId, record);
    const expected = [...latest.values()].filter(
      (record) => (record.fromNumber === only || record.toNumber === only) && record.startMs >= month.fromMs && record.startMs < month.toMs,
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(20);
    expect(Number(count?.total)).toBe(expected);
  });

  it('gives the same after the index’s rows were written twice (a backfill run again)', async () => {
    await clickhouse.command({ query: `INSERT INTO ${table('leg_number_suffixes')} SELECT * FROM ${table('leg_number_suffixes')}` });
    await clickhouse.command({ query: `INSERT INTO ${table('leg_number_starts')} SELECT * FROM ${table('leg_number_starts')}` });
    for (const part of [someCaller, shared, only.slice(-5)]) {
      const calls = callsSql({
        database: db,
        range: month,
        filter: { phoneNumber: part, phoneNumberStarts: 0 },
        order: { field: 'START', direction: 'DESC' },
        first: 10_000,
      });
      expect(await same(calls.page)).toBe(true);
      expect(await same(calls.count)).toBe(true);
    }
  });
});
