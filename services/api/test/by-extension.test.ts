// The history queries filtered to a few extensions read legs_by_extension (migration 0012: the legs log again, ordered
// by extension, then start) and give exactly what the same queries give on legs_by_start, which is what they read
// before: KPIs, callStats, density, heatmap, durations, the leaderboard, the calls pages (orders, directions, a cursor)
// with their counts, and the export, on records written by the real reporting service with amendments (-1 rows, legs
// moved to another extension and across days and the ranges' bounds), in two zones and with business hours.
import type { CompletedLegRecord } from '@callpulse/contracts';
import { businessHoursSchema } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier, ident, type Sql } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { callsExportSql, callsSql } from '../src/history/calls-query.js';
import { densitySql } from '../src/history/density-query.js';
import { durationSql } from '../src/history/duration-query.js';
import { heatmapSql } from '../src/history/heatmap-query.js';
import { leaderboardSql } from '../src/history/leaderboard-query.js';
import { FEW_EXTENSIONS, type LegFilter, legTableFor } from '../src/history/leg-filter.js';
import { kpisSql } from '../src/history/report-kpis.js';
import { statsSql } from '../src/history/stats-sql.js';
import { resolveRange, type TimeRange } from '../src/history/time-range.js';
import { encodeCursor } from '../src/paging/cursor.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { randomLegFigures } from './support/random-legs.js';
import { leg } from './support/records.js';

const iso = isolation(uniqueName('api_ext_copy'));
const db = iso.name;
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const rand = createRandom(20261201).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const first = Date.parse('2026-02-25T00:00:00Z');
const span = Date.parse('2026-04-03T00:00:00Z') - first;
const extensions = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-5'];
const version1: CompletedLegRecord[] = Array.from(
  { length: 300 },
  (_, i) =>
    leg({
      telephonySessionId: `s-be-${i}`,
      extensionId: pick(extensions),
      startMs: first + Math.floor(rand() * span),
      ...randomLegFigures(rand),
    }) as CompletedLegRecord,
);
// Amendments: new figures, some moved to another extension, some by up to two days (across days, months and the
// ranges' bounds); a version 3 of some.
const amend = (record: CompletedLegRecord): CompletedLegRecord => ({
  ...record,
  ...randomLegFigures(rand),
  extensionId: rand() < 0.4 ? pick(extensions) : record.extensionId,
  startMs: rand() < 0.3 ? record.startMs + Math.floor((rand() - 0.5) * 4 * 86400_000) : record.startMs,
  version: record.version + 1,
});
const version2 = version1.filter(() => rand() < 0.5).map(amend);
const version3 = version2.filter(() => rand() < 0.4).map(amend);

const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
/** The same SQL on legs_by_start: what the API read before migration 0012. */
const onStartCopy = (query: Sql) => query.text.replaceAll(ident('legs_by_extension', db).text, ident('legs_by_start', db).text);
async function same(query: Sql): Promise<number> {
  expect(query.text).toContain(ident('legs_by_extension', db).text);
  expect(onStartCopy(query)).not.toMatch(/legs_by_extension/);
  const [copy, before] = await Promise.all([rows(query.text), rows(onStartCopy(query))]);
  expect(copy).toEqual(before);
  return copy.length;
}

let reporting: Started;
beforeAll(async () => {
  reporting = await startService('reporting', iso);
  const sent = new Map<string, number>();
  for (const round of [version1, version2, version3]) {
    await produceRecords(iso, round);
    for (const record of round) sent.set(record.telephonySessionId, record.version);
    const expected = [...sent.values()].reduce((sum, version) => sum + version, 0);
    // Stored in the log and in both copies (a view's table is written after the log in the same INSERT).
    await waitFor(
      async () => {
        const sums = await Promise.all(
          ['legs', 'legs_by_start', 'legs_by_extension'].map(async (table) => {
            const [row] = await rows(`SELECT sum(sign * version) AS n FROM ${escapeIdentifier(db)}.${table}`);
            return Number(row?.n);
          }),
        );
        return sums.every((sum) => sum === expected);
      },
      { timeoutMs: 60000, what: 'every version stored, in the log and both copies' },
    );
  }
});

afterAll(async () => {
  await reporting?.process.stop();
  await clickhouse.close();
  await cleanUp(iso);
});

const zones = ['America/New_York', 'Asia/Kolkata'];
const ranges = (zone: string): TimeRange[] => [
  resolveRange({ from: '2026-03-02', to: '2026-03-09', timeZone: zone }, 366),
  resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone: zone }, 366),
];
const hours = businessHoursSchema.parse({
  timeZone: 'Europe/Berlin',
  week: {
    monday: [{ from: '09:00', to: '17:00' }],
    tuesday: [{ from: '09:30', to: '12:00' }],
    wednesday: [{ from: '08:00', to: '20:00' }],
    thursday: [],
    friday: [{ from: '08:00', to: '18:00' }],
    saturday: [],
    sunday: [],
  },
  holidays: ['2026-03-06'],
  updatedAtMs: 0,
});
const filters: LegFilter[] = [
  { extensionIds: ['ext-2'] },
  { extensionIds: ['ext-1', 'ext-4'], direction: 'Inbound' },
  { extensionIds: ['ext-3'], businessHours: { mode: 'INSIDE', hours } },
  { extensionIds: ['ext-5', 'ext-2'], excludeResults: ['Fax', 'Redirected', 'Supervision'], minTalkMs: 1 },
];

describe('which copy answers', () => {
  it('legs_by_extension for one to FEW_EXTENSIONS extensions, legs_by_start otherwise, legs for one session', () => {
    expect(legTableFor({ extensionIds: ['a'] })).toBe('legs_by_extension');
    expect(legTableFor({ extensionIds: Array.from({ length: FEW_EXTENSIONS }, (_, i) => `e${i}`) })).toBe('legs_by_extension');
    expect(legTableFor({ extensionIds: Array.from({ length: FEW_EXTENSIONS + 1 }, (_, i) => `e${i}`) })).toBe('legs_by_start');
    expect(legTableFor({ extensionIds: [] })).toBe('legs_by_start');
    expect(legTableFor({})).toBe('legs_by_start');
    expect(legTableFor({ extensionIds: ['a'], telephonySessionId: 's' })).toBe('legs');
  });
});

describe('the history queries on legs_by_extension equal the same queries on legs_by_start', () => {
  it('has every row of the log in the copy', async () => {
    const legs = `SELECT telephony_session_id, party_id, version, extension_id, start_ms, talk_ms, sum(sign) AS s FROM ${db}.%t GROUP BY telephony_session_id, party_id, version, extension_id, start_ms, talk_ms HAVING s != 0 ORDER BY telephony_session_id, party_id, version`;
    const copied = await rows(legs.replace('%t', 'legs_by_extension'));
    expect(copied).toEqual(await rows(legs.replace('%t', 'legs')));
    expect(copied.length).toBe(300); // one version of each leg left
  });

  it('reports: KPIs, callStats, density, heatmap, durations, agents', async () => {
    let nonEmpty = 0;
    for (const zone of zones) {
      for (const range of ranges(zone)) {
        for (const filter of filters) {
          const counts = await Promise.all([
            same(kpisSql(db, range, filter, 20)),
            same(statsSql(db, range, 'DAY', filter, { byResult: true, maxima: false, percentiles: false })),
            same(statsSql(db, range, 'EXTENSION', filter, { byResult: false, maxima: true, percentiles: true })),
            same(densitySql(db, range, filter)),
            same(heatmapSql(db, range, filter)),
            same(durationSql(db, range, filter)),
            same(leaderboardSql(db, range, filter, { field: 'TALK', direction: 'DESC' }, 3)),
          ]);
          if (counts.every((count) => count > 0)) nonEmpty += 1;
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(8);
  }, 300_000);

  it('calls pages in three orders, both directions, after a cursor, their counts, and the export', async () => {
    const range = ranges('America/New_York')[1] as TimeRange;
    let pages = 0;
    for (const filter of filters) {
      for (const field of ['START', 'DURATION', 'TALK'] as const) {
        for (const direction of ['ASC', 'DESC'] as const) {
          const order = { field, direction };
          const firstPage = callsSql({ database: db, range, filter, order, first: 5 });
          if ((await same(firstPage.page)) > 5) pages += 1;
          await same(firstPage.count);
          const page = await rows(firstPage.page.text);
          const last = page[4];
          if (last) {
            const column = { START: 'start_ms', DURATION: 'duration_ms', TALK: 'talk_ms' }[field];
            const after = encodeCursor([field, direction, Number(last[column]), String(last.telephony_session_id), String(last.party_id)]);
            expect(await same(callsSql({ database: db, range, filter, order, first: 5, after }).page)).toBeGreaterThan(0);
          }
          await same(callsExportSql({ database: db, range, filter, order }));
        }
      }
    }
    expect(pages).toBeGreaterThan(10);
  }, 300_000);
});
