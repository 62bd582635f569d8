// The history queries read legs_by_start and queue_sessions_by_start (migration 0010: the logs again, ordered by start)
// and give exactly what the same SQL gives on the logs themselves (legs, sessions), which is what they read before:
// every report, the calls pages (both cursor directions, several orders, filters) and the export's query, on records
// written by the real reporting service with amendments (-1 rows, legs moved across the range's bounds and days,
// sessions moved into and out of queues).
import type { CompletedLegRecord, CompletedRecord, SessionSummaryRecord } from '@callpulse/contracts';
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
import type { LegFilter } from '../src/history/leg-filter.js';
import { queueStatsSql } from '../src/history/queue-query.js';
import { kpisSql } from '../src/history/report-kpis.js';
import { hourlyStatsSql, statsSql } from '../src/history/stats-sql.js';
import { resolveRange, type TimeRange } from '../src/history/time-range.js';
import { csvSourceColumns } from '../src/history/tsv-csv.js';
import { encodeCursor } from '../src/paging/cursor.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { randomLegFigures } from './support/random-legs.js';
import { leg, session } from './support/records.js';

const iso = isolation(uniqueName('api_start_copies'));
const db = iso.name;
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const rand = createRandom(20261130).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const first = Date.parse('2026-02-25T00:00:00Z');
const span = Date.parse('2026-04-03T00:00:00Z') - first;
const extensions = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-5'];
const queues = ['', '', 'q-1', 'q-2'];
const version1: CompletedRecord[] = Array.from({ length: 400 }, (_, i) => {
  const startMs = first + Math.floor(rand() * span);
  const queueId = pick(queues);
  return i % 2 === 0
    ? leg({
        telephonySessionId: `s-bs-${i}`,
        extensionId: pick(extensions),
        startMs,
        queueId,
        queueName: queueId === '' ? '' : `Queue ${queueId}`,
        queueCall: queueId !== '',
        ...randomLegFigures(rand),
      })
    : session({
        telephonySessionId: `s-bs-${i}`,
        startMs,
        queueId,
        queueName: queueId === '' ? '' : `Queue ${queueId}`,
        firstAnswerMs: rand() < 0.7 ? startMs + 5000 : 0,
        waitMs: Math.floor(rand() * 40000),
        abandoned: rand() < 0.2,
      });
});
// Amendments: new figures, some moved by up to two days (across days, months and the ranges' bounds), sessions moved
// into or out of a queue; a version 3 of some.
const amend = (record: CompletedRecord): CompletedRecord => {
  const startMs = rand() < 0.3 ? record.startMs + Math.floor((rand() - 0.5) * 4 * 86400_000) : record.startMs;
  if (record.kind === 'leg') return { ...(record as CompletedLegRecord), ...randomLegFigures(rand), startMs, version: record.version + 1 };
  const queueId = pick(queues);
  return {
    ...(record as SessionSummaryRecord),
    startMs,
    queueId,
    queueName: queueId === '' ? '' : `Queue ${queueId}`,
    version: record.version + 1,
  };
};
const version2 = version1.filter(() => rand() < 0.4).map(amend);
const version3 = version2.filter(() => rand() < 0.3).map(amend);

const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
/** The same SQL on the logs: what the API read before migration 0010. */
const onLogs = (query: Sql) =>
  query.text
    .replaceAll(ident('legs_by_start', db).text, ident('legs', db).text)
    .replaceAll(ident('legs_by_extension', db).text, ident('legs', db).text)
    .replaceAll(ident('queue_sessions_by_start', db).text, ident('sessions', db).text);
async function same(query: Sql): Promise<number> {
  expect(onLogs(query)).not.toBe(query.text);
  expect(onLogs(query)).not.toMatch(/_by_start|_by_extension/);
  const [copy, logs] = await Promise.all([rows(query.text), rows(onLogs(query))]);
  expect(copy).toEqual(logs);
  return copy.length;
}

let reporting: Started;
beforeAll(async () => {
  reporting = await startService('reporting', iso);
  // Stored when the sum of sign x version is the sum of the latest versions sent (merges collapsing a +1 and its -1
  // leave it as it is).
  const sent = new Map<string, number>();
  for (const round of [version1, version2, version3]) {
    await produceRecords(iso, round);
    for (const record of round) sent.set(`${record.kind}:${record.telephonySessionId}`, record.version);
    const expected = [...sent.values()].reduce((sum, version) => sum + version, 0);
    await waitFor(
      async () => {
        const [counted] = await rows(
          `SELECT (SELECT sum(sign * version) FROM ${escapeIdentifier(db)}.legs) + (SELECT sum(sign * version) FROM ${escapeIdentifier(db)}.sessions) AS n`,
        );
        if (Number(counted?.n) !== expected) return false;
        // ClickHouse shows an insert's rows in the logs before its views have pushed them into the copies: wait for
        // the copies too (the same sums), else the comparison races the end of the last insert.
        const [copies] = await rows(
          `SELECT (SELECT sum(sign * version) FROM ${escapeIdentifier(db)}.legs) = (SELECT sum(sign * version) FROM ${escapeIdentifier(db)}.legs_by_start)
             AND (SELECT sum(sign * version) FROM ${escapeIdentifier(db)}.sessions WHERE queue_id != '') = (SELECT sum(sign * version) FROM ${escapeIdentifier(db)}.queue_sessions_by_start) AS same`,
        );
        return Number(copies?.same) === 1;
      },
      { timeoutMs: 60000, what: 'every version stored, in the logs and their copies' },
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
    wednesday: [],
    thursday: [],
    friday: [{ from: '08:00', to: '18:00' }],
    saturday: [],
    sunday: [],
  },
  holidays: ['2026-03-06'],
  updatedAtMs: 0,
});
const filters: LegFilter[] = [
  {},
  { direction: 'Inbound', results: ['Answered', 'Missed'] },
  { extensionIds: ['ext-2', 'ext-4'], minTalkMs: 1 },
  { businessHours: { mode: 'INSIDE', hours } },
  { excludeResults: ['Fax'], hours: [9, 10, 11], weekdays: [1, 2, 3] },
];

describe('the history queries on the start-ordered copies equal the same queries on the logs', () => {
  it('has every row of the logs in the copies', async () => {
    // Per version, the sum of its rows' signs (merges collapse a +1 and its -1 in each table on their own schedule).
    const legs = `SELECT telephony_session_id, party_id, version, start_ms, talk_ms, sum(sign) AS s FROM ${db}.%t GROUP BY telephony_session_id, party_id, version, start_ms, talk_ms HAVING s != 0 ORDER BY telephony_session_id, party_id, version`;
    const copiedLegs = await rows(legs.replace('%t', 'legs_by_start'));
    expect(copiedLegs).toEqual(await rows(legs.replace('%t', 'legs')));
    expect(copiedLegs.length).toBe(200); // one version of each leg left
    const sessions = `SELECT telephony_session_id, version, start_ms, queue_id, sum(sign) AS s FROM ${db}.%t WHERE queue_id != '' GROUP BY telephony_session_id, version, start_ms, queue_id HAVING s != 0 ORDER BY telephony_session_id, version`;
    const copiedSessions = await rows(sessions.replace('%t', 'queue_sessions_by_start'));
    expect(copiedSessions).toEqual(await rows(sessions.replace('%t', 'sessions')));
    expect(copiedSessions.length).toBeGreaterThan(50);
  });

  it('reports: KPIs, callStats (both SQL forms), density, heatmap, durations, agents, queues', async () => {
    let nonEmpty = 0;
    for (const zone of zones) {
      for (const range of ranges(zone)) {
        for (const filter of filters) {
          const counts = await Promise.all([
            same(kpisSql(db, range, filter, 20)),
            same(statsSql(db, range, 'DAY', filter, { byResult: true, maxima: false, percentiles: false })),
            same(statsSql(db, range, 'QUEUE', filter, { byResult: true, maxima: true, percentiles: true })),
            same(statsSql(db, range, 'EXTENSION', filter, { byResult: false, maxima: true, percentiles: true })),
            same(densitySql(db, range, filter)),
            same(heatmapSql(db, range, filter)),
            same(durationSql(db, range, filter)),
            same(leaderboardSql(db, range, filter, { field: 'TALK', direction: 'DESC' }, 3)),
            same(queueStatsSql(db, range, 20, null, filter.businessHours)),
          ]);
          if (counts.every((count) => count > 0)) nonEmpty += 1;
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(10);
    // extension_hourly is no copy: its SQL is unchanged
    expect(
      hourlyStatsSql(db, ranges('UTC')[1] as TimeRange, 'DAY', {}, { byResult: true, maxima: false, percentiles: false }).text,
    ).not.toMatch(/_by_start/);
  }, 300_000);

  it('reads business hours one start range per part for the leaderboard, with the same rows as the ranges in one WHERE', async () => {
    let compared = 0;
    for (const zone of zones) {
      for (const range of ranges(zone)) {
        for (const mode of ['INSIDE', 'OUTSIDE'] as const) {
          for (const more of [{}, { direction: 'Inbound', excludeResults: ['Fax'] }, { extensionIds: ['ext-2', 'ext-4'] }]) {
            const filter: LegFilter = { ...more, businessHours: { mode, hours } };
            const order = { field: 'CALLS', direction: 'DESC' } as const;
            const parts = leaderboardSql(db, range, filter, order, 1000);
            expect(parts.text).toMatch(/UNION ALL/);
            const expected = await rows(leaderboardSql(db, range, filter, order, 1000, false).text);
            expect(await rows(parts.text)).toEqual(expected);
            if (expected.length > 0) compared += 1;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(15);
  }, 120_000);

  it('calls pages in every order, both directions, after a cursor, their counts, and the export', async () => {
    const range = ranges('America/New_York')[1] as TimeRange;
    for (const filter of filters) {
      for (const field of ['START', 'DURATION', 'TALK'] as const) {
        for (const direction of ['ASC', 'DESC'] as const) {
          const order = { field, direction };
          const firstPage = callsSql({ database: db, range, filter, order, first: 7 });
          const page = await rows(firstPage.page.text);
          expect(page).toEqual(await rows(onLogs(firstPage.page)));
          await same(firstPage.count);
          const last = page[6];
          if (last) {
            const column = { START: 'start_ms', DURATION: 'duration_ms', TALK: 'talk_ms' }[field];
            const after = encodeCursor([field, direction, Number(last[column]), String(last.telephony_session_id), String(last.party_id)]);
            const next = callsSql({ database: db, range, filter, order, first: 7, after }).page;
            expect(await same(next)).toBeGreaterThan(0);
          }
          const exported = await rows(callsExportSql({ database: db, range, filter, order }).text);
          expect(exported).toEqual(await rows(onLogs(callsExportSql({ database: db, range, filter, order }))));
          // The export reads only the CSV's columns, the others blank, the same legs in the same order.
          const narrow = await rows(callsExportSql({ database: db, range, filter, order }, csvSourceColumns).text);
          expect(narrow.map((row) => Object.values(row))).toEqual(
            exported.map((row) => Object.entries(row).map(([name, value]) => (csvSourceColumns.includes(name) ? value : ''))),
          );
        }
      }
    }
  }, 300_000);
});
