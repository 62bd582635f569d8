// A current ClickHouse (chdb, in-process) gives the answers of the local stack's 18.16: every migration applied by
// reporting's own migration code (0006's backfill over stored legs), the same records loaded by reporting's writer
// (look-ups, +1 rows, the -1/+1 rows of amendments, replays), then every statement the API builds (calls pages and
// counts, callStats in both forms with every grouping, figures and filter, hourlyDensity, queueStats, the reports page's
// queries, business hours and the CSV export's statement, across time zones with daylight saving and half-hour
// offsets) run on both engines and the answers compared; and the call drawer's party events, written by reporting's
// writer and read by callTimeline (src/party-events-cases.ts). A statement that fails on either engine, or answers
// differently, is listed with its SQL. Run with `npm run test:chdb` (docs/bi.md,
// "Current ClickHouse").
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartyEventsRecord } from '@callpulse/call-model';
import {
  type AlertTransition,
  alertTransitionsColumns,
  type CompletedRecord,
  legRecordColumns,
  legResults,
  nonCallResults,
  partyEventsColumns,
  sessionRecordColumns,
  tableNames,
} from '@callpulse/contracts';
import { createLogger, ident, list, sql } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionRow } from '../../services/api/src/alerts/delivery/rows.js';
import { bucketsAnswer } from '../../services/api/src/history/bucket-source.js';
import {
  type CallOrder,
  type CallOrderField,
  type CallsPageQuery,
  callsExportSql,
  queryCalls,
  type SortDirection,
} from '../../services/api/src/history/calls-query.js';
import { type QueryRunner, querySettings } from '../../services/api/src/history/clickhouse-runner.js';
import { queryHourlyDensity } from '../../services/api/src/history/density-query.js';
import { queryDurations } from '../../services/api/src/history/duration-query.js';
import { queryHeatmap } from '../../services/api/src/history/heatmap-query.js';
import { type AgentOrderField, agentOrderFields, queryLeaderboard } from '../../services/api/src/history/leaderboard-query.js';
import type { LegFilter } from '../../services/api/src/history/leg-filter.js';
import { withNumberStarts } from '../../services/api/src/history/number-search.js';
import { queryQueueStats } from '../../services/api/src/history/queue-query.js';
import { previousPeriod, queryReportKpis } from '../../services/api/src/history/report-kpis.js';
import { queryCallStats } from '../../services/api/src/history/stats-query.js';
import { type StatsFigures, statsGroupings } from '../../services/api/src/history/stats-types.js';
import { resolveRange, type TimeRange } from '../../services/api/src/history/time-range.js';
import { readToday } from '../../services/api/src/history/today-stats.js';
import { queryVolume } from '../../services/api/src/history/volume-query.js';
import { readBoardSeed } from '../../services/api/src/live/board-seed.js';
import { defaultMigrationsDir } from '../../services/reporting/src/migrations/files.js';
import { migrate } from '../../services/reporting/src/migrations/migrate.js';
import { fetchStoredRows } from '../../services/reporting/src/writer/store.js';
import { RecordWriter } from '../../services/reporting/src/writer/writer.js';
import { expectedFigures, readFigures } from '../../services/reporting/test/support/figures.js';
import { clickhouseUrl, uniqueName } from '../../test/support/env.js';
import { rowDifferences } from './src/compare.js';
import { type Captured, DualEngines, replayRunner, timeSpent } from './src/dual.js';
import { chdbEngine, dropDatabase, type Engine, stackEngine } from './src/engines.js';
import { compareKpiHistory } from './src/kpi-history-cases.js';
import { compareTimelines, partyEventsCalls, storedKeys } from './src/party-events-cases.js';
import { extensions, hostileExtension, monthBounds, queues, recordRounds, zones } from './src/records.js';
import { businessHoursFilters, explorerFilters, reportFilters } from './src/report-cases.js';

const database = uniqueName('chdb_compat');
const logger = createLogger('chdb-compat', 'silent');
const rounds = recordRounds();
const allRecords = rounds.flat();

let stack: Engine;
let chdb: Engine;
let dual: DualEngines;

beforeAll(async () => {
  const reference = await stackEngine(clickhouseUrl);
  stack = reference;
  chdb = await chdbEngine(reference.timezone);
  dual = new DualEngines(stack, chdb);
  console.log(`comparing ${chdb.label} with ${stack.label}, database ${database}`);
});

afterAll(async () => {
  if (stack) {
    await dropDatabase(stack, database);
    await stack.client.close();
  }
  await chdb?.client.close();
  const spent = [...timeSpent].map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join(', ');
  if (dual) console.log(`${dual.statements} statements run on both engines; time in queries: ${spent}`);
});

/** Runs `work` on both engines; a failure on either is thrown with the engine's name. */
async function onBoth<T>(what: string, work: (engine: Engine) => Promise<T>): Promise<[T, T]> {
  const outcomes = await Promise.allSettled([work(stack), work(chdb)]);
  const failures = outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [`${what} fails on ${[stack, chdb][i]?.label}: ${(outcome.reason as Error).message}`] : [],
  );
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value) as [T, T];
}

/** Fails with every finding since `from`: statement, what went wrong, SQL. */
function expectNoFindings(from: number): void {
  const report = dual.report(from);
  if (report !== '') throw new Error(`${dual.findings.length - from} statements disagree or fail:\n\n${report}`);
}

/**
 * One of the API's query functions on both engines: its statements through the dual runner (each compared, the
 * function going on with 18.16's rows), then the function again on chdb's answers to the same statements: what it
 * returns must be equal, the answer a GraphQL caller gets whichever ClickHouse the API talks to.
 */
async function sameApiAnswer<T>(what: string, ask: (runner: QueryRunner) => Promise<T>, unordered: readonly string[] = []): Promise<T> {
  const captured: Captured[] = [];
  const fromStack = await ask(dual.runner(captured, unordered));
  if (captured.some((answer) => answer.rows === undefined)) return fromStack; // the failure is a finding already
  try {
    expect(await ask(replayRunner(captured))).toEqual(fromStack);
  } catch (err) {
    dual.findings.push({ statement: what, sql: '(the API function as a whole)', problem: `answers differ: ${(err as Error).message}` });
  }
  return fromStack;
}

const write = (engine: Engine, records: CompletedRecord[]) =>
  new RecordWriter(engine.client, database, logger).write(records.map((record, i) => ({ record, source: i })));

/** The writer's look-up of every stored row of the records' calls, netted per row content (sum of signs, zeros left
 * out): a background merge collapses a +1/-1 pair on one engine and not yet on the other, which changes no net. */
async function lookUp(engine: Engine, kind: 'leg' | 'session', records: CompletedRecord[]) {
  const ids = records.filter((record) => record.kind === kind).map((record) => record.telephonySessionId);
  const nets = new Map<string, number>();
  for (const { sign, ...values } of await fetchStoredRows(engine.client, database, kind, ids)) {
    const key = JSON.stringify(Object.entries(values).map(([column, value]) => [column, String(value)]));
    nets.set(key, (nets.get(key) ?? 0) + Number(sign));
  }
  return [...nets].filter(([, net]) => net !== 0).map(([key, net]) => ({ row: key, net }));
}

describe('a current ClickHouse (chdb) gives the answers of ClickHouse 18.16', () => {
  it('applies every migration with reporting`s migration code, 0006 over stored legs, to the same schema', async () => {
    // 0001-0005 first, round 1 loaded, then the rest: 0006 backfills the per-phase counts of stored legs.
    const before6 = mkdtempSync(join(tmpdir(), 'chdb-compat-migrations-'));
    try {
      for (const file of readdirSync(defaultMigrationsDir).filter((name) => /^000[1-5]_.*\.sql$/.test(name))) {
        cpSync(join(defaultMigrationsDir, file), join(before6, file));
      }
      const [first] = await onBoth('migrations 0001-0005', (engine) =>
        migrate({ clickhouse: engine.client, database, logger, dir: before6 }),
      );
      expect(first.applied).toHaveLength(5);
    } finally {
      rmSync(before6, { recursive: true, force: true });
    }
    const [written] = await onBoth('writing round 1 (before 0006)', (engine) => write(engine, rounds[0] ?? []));
    expect(written.inserted).toBeGreaterThan(500);
    const [rest] = await onBoth('the remaining migrations', (engine) => migrate({ clickhouse: engine.client, database, logger }));
    expect(rest.applied).toContain('0006_extension_hourly_phase_legs.sql');
    const start = dual.findings.length;
    // The schema: every table's and view's columns with their types, and the recorded migrations.
    await dual.rows(
      'the schema',
      sql`SELECT table, name, type FROM system.columns WHERE database = ${database} ORDER BY table, name`.text,
      { ordered: true },
    );
    await dual.rows('the recorded migrations', `SELECT version, name, checksum FROM \`${database}\`.schema_migrations ORDER BY version`, {
      ordered: true,
    });
    // 0006 merged extension_hourly (OPTIMIZE ... FINAL): one row per cell, the backfilled counts in it.
    await dual.rows('extension_hourly after the backfill', `SELECT * FROM \`${database}\`.extension_hourly`, { ordered: false });
    expectNoFindings(start);
  });

  it('loads the records through reporting`s writer: the same look-ups, inserts, -1/+1 rows and skipped replays', async () => {
    const start = dual.findings.length;
    for (const [i, round] of rounds.entries()) {
      if (i > 0) {
        // What the writer's look-up finds for the round's calls, before it writes them.
        for (const kind of ['leg', 'session'] as const) {
          const [fromStack, fromChdb] = await onBoth(`the writer's ${kind} look-up`, (engine) => lookUp(engine, kind, round));
          const differences = rowDifferences(fromStack, fromChdb, { ordered: false });
          if (differences.length > 0) {
            dual.findings.push({
              statement: `the writer's ${kind} look-up before round ${i + 1}`,
              sql: '(fetchStoredRows)',
              problem: differences.join('\n    '),
            });
          }
        }
        const [fromStack, fromChdb] = await onBoth(`writing round ${i + 1}`, (engine) => write(engine, round));
        expect({ inserted: fromChdb.inserted, skipped: fromChdb.skipped.length, rejected: fromChdb.rejected }).toEqual({
          inserted: fromStack.inserted,
          skipped: fromStack.skipped.length,
          rejected: fromStack.rejected,
        });
        if (i === 1) expect(fromStack.skipped.length, 'the replays of round 1 change nothing').toBeGreaterThanOrEqual(33);
      }
    }
    // The log of signed rows, per row content (background merges may have collapsed pairs on one engine only).
    const rowsOf = (table: string, columns: readonly string[]) =>
      `SELECT ${columns.join(', ')}, toUnixTimestamp(start_time) AS start_s, sum(sign) AS net FROM \`${database}\`.${table} ` +
      `GROUP BY ${columns.join(', ')}, start_s HAVING net != 0`;
    await dual.rows('legs (net sign per row)', rowsOf('legs', legRecordColumns), { ordered: false });
    await dual.rows('sessions (net sign per row)', rowsOf('sessions', sessionRecordColumns), { ordered: false });
    expect(
      await dual.rows('amended legs', `SELECT count() AS n FROM \`${database}\`.legs WHERE sign = -1`, { ordered: false }),
    ).not.toEqual([{ n: 0 }]);
    expectNoFindings(start);
  });

  it('holds the same rows in every BI view, and the figures of the records', async () => {
    const start = dual.findings.length;
    const db = `\`${database}\``;
    await dual.rows('legs_latest', `SELECT ${legRecordColumns.join(', ')}, start_time FROM ${db}.legs_latest`, { ordered: false });
    await dual.rows('sessions_latest', `SELECT ${sessionRecordColumns.join(', ')}, start_time FROM ${db}.sessions_latest`, {
      ordered: false,
    });
    for (const view of ['extension_hourly_stats', 'extension_hourly_maxima', 'queue_stats']) {
      await dual.rows(view, `SELECT * FROM ${db}.${view}`, { ordered: false });
    }
    expectNoFindings(start);
    const [fromStack, fromChdb] = await onBoth('reading the figures', (engine) => readFigures(engine.client, database));
    expect(fromChdb).toEqual(expectedFigures(allRecords));
    expect(fromStack).toEqual(expectedFigures(allRecords));
  });

  // The arguments of the API's queries.
  const month = (timeZone: string) => resolveRange({ ...monthBounds, timeZone }, 366);
  const ranges: Array<{ label: string; range: TimeRange }> = [
    ...zones.map((timeZone) => ({ label: `March 2026 in ${timeZone}`, range: month(timeZone) })),
    { label: 'the history test`s two days', range: resolveRange({ from: '2026-03-02T00:00:00Z', to: '2026-03-04T00:00:00Z' }, 366) },
    {
      label: 'whole UTC hours in Asia/Kolkata',
      range: resolveRange({ from: '2026-03-06T00:00:00Z', to: '2026-03-20T00:00:00Z', timeZone: 'Asia/Kolkata' }, 366),
    },
    {
      label: 'two partitions with odd bounds in America/St_Johns',
      range: resolveRange({ from: '2026-02-27T13:17:05.250', to: '2026-03-09T07:00:00', timeZone: 'America/St_Johns' }, 366),
    },
    { label: 'reporting`s May 2024', range: resolveRange({ from: '2024-05-14', to: '2024-05-15', timeZone: 'Europe/Berlin' }, 366) },
  ];
  const statsFilters: Array<{ label: string; filter: LegFilter }> = [
    { label: 'no filter', filter: {} },
    { label: 'the agents` figures', filter: { excludeResults: nonCallResults } },
    { label: 'two extensions', filter: { extensionIds: ['ext-2', 'ext-5'], excludeResults: nonCallResults } },
    { label: 'two queues', filter: { queueIds: ['q-10', 'q-20'], excludeResults: nonCallResults } },
    { label: 'the extension id with SQL in it', filter: { extensionIds: [hostileExtension, 'ext-a100'], excludeResults: nonCallResults } },
    { label: 'no extension', filter: { extensionIds: [] } },
  ];
  const sums: StatsFigures = { byResult: true, maxima: false, percentiles: false };
  const allFigures: StatsFigures = { byResult: true, maxima: true, percentiles: true };

  // Statements cost about 10-40 ms each on a loaded two-core machine: the matrices below run every grouping, order,
  // filter and zone, but not every combination of them.
  const slow = 300_000;

  it(
    'calls: pages and counts in every order, with every filter',
    async () => {
      const start = dual.findings.length;
      const callFilters: Array<{ label: string; filter: LegFilter }> = [
        ...statsFilters.filter(({ label }) => label !== 'the agents` figures'),
        { label: 'outbound', filter: { direction: 'Outbound' } },
        { label: 'two results', filter: { results: ['Voicemail', 'Missed'] } },
        { label: 'part of a number', filter: { phoneNumber: '555' } },
        { label: 'minimum durations', filter: { minRingMs: 3000, minTalkMs: 60001, minHoldMs: 1 } },
        { label: 'hostile text', filter: { phoneNumber: "\\' OR 1=1 --", queueIds: ["x' OR '1'='1"] } },
        // The number search through migration 0014's index (phoneNumberStarts 0: read it whatever the count).
        { label: 'part of a number, by the index', filter: { phoneNumber: '5550', phoneNumberStarts: 0 } },
        { label: 'last digits, by the index', filter: { phoneNumber: '1234', phoneNumberStarts: 0 } },
        { label: 'a whole number`s part, by the index', filter: { phoneNumber: '+15551', phoneNumberStarts: 0 } },
        { label: 'hostile text, by the index', filter: { phoneNumber: "\\' OR 1=1 --", phoneNumberStarts: 0 } },
      ];
      const orders = (['START', 'RING', 'TALK', 'HOLD'] as CallOrderField[]).flatMap((field) =>
        (['ASC', 'DESC'] as SortDirection[]).map((direction) => ({ field, direction })),
      );
      // Every order without a filter and with the history test's, the API's default order and one other with each
      // filter. Many legs share a ring, talk or hold time (0 above all), so the keyset's ties are exercised.
      const walks = [
        ...orders.map((order) => ({ order, filter: {} })),
        ...orders.map((order) => ({ order, filter: { extensionIds: [hostileExtension, 'ext-a100', 'ext-2'] } })),
        ...callFilters.flatMap(({ filter }) => [
          { order: { field: 'START' as const, direction: 'DESC' as const }, filter },
          { order: { field: 'TALK' as const, direction: 'ASC' as const }, filter },
        ]),
      ];
      let pages = 0;
      for (const { range, first, maxPages } of [
        { range: ranges[1]?.range as TimeRange, first: 60, maxPages: 3 }, // March in New York: hundreds of legs
        { range: ranges[7]?.range as TimeRange, first: 2, maxPages: 5 }, // the history test's two days, every page
      ]) {
        for (const { filter, order } of walks) {
          let after: string | null = null;
          for (let page = 0; page < maxPages; page++) {
            // totalCount with the first page only, as a client that pages on asks for it once.
            const query: CallsPageQuery = { database, range, filter, order, first, after, count: page === 0 };
            const connection = await sameApiAnswer('calls', (runner) => queryCalls(runner, query));
            pages += 1;
            if (!connection.pageInfo.hasNextPage) break;
            after = connection.pageInfo.endCursor;
          }
        }
      }
      expect(pages).toBeGreaterThan(walks.length * 2);
      // The number search's count of its index's start times (number-search.ts withNumberStarts).
      for (const phoneNumber of ['5550', '1234', '+15551', '99999999']) {
        await sameApiAnswer('calls_number_starts', (runner) =>
          withNumberStarts(runner, database, ranges[1]?.range as TimeRange, { phoneNumber }),
        );
      }
      expectNoFindings(start);
    },
    slow,
  );

  it(
    'callStats from the legs: every grouping, filter, figure and range',
    async () => {
      const start = dual.findings.length;
      let groups = 0;
      for (const { range } of ranges) {
        for (const groupBy of statsGroupings) {
          // Every filter with every figure (maxima and exact percentiles); the counts and sums alone without one.
          for (const [filter, figures] of [...statsFilters.map(({ filter }) => [filter, allFigures] as const), [{}, sums] as const]) {
            const answer = await sameApiAnswer('callStats', (runner) =>
              queryCallStats(runner, database, range, groupBy, filter, figures, 'legs'),
            );
            groups += answer.length;
          }
        }
      }
      expect(groups).toBeGreaterThan(1000);
      expectNoFindings(start);
    },
    slow,
  );

  it(
    'callStats from extension_hourly: every grouping it serves, in every zone (also where the API would not use it)',
    async () => {
      const start = dual.findings.length;
      let groups = 0;
      for (const { range } of ranges) {
        for (const groupBy of statsGroupings.filter((grouping) => grouping !== 'QUEUE')) {
          // The hourly table has no queue: a queue filter makes the API read the legs, so it is left out here.
          for (const { filter } of statsFilters.filter(({ label }) => label !== 'two queues')) {
            const answer = await sameApiAnswer('callStats', (runner) =>
              queryCallStats(runner, database, range, groupBy, filter, sums, 'hourly'),
            );
            groups += answer.length;
          }
        }
      }
      expect(groups).toBeGreaterThan(500);
      // A filter of 10,000 extension ids: a statement beyond the default max_query_size, which the API raises for it.
      const many = [...extensions, ...Array.from({ length: 10_000 - extensions.length }, (_, i) => `ext-unknown-${i}`)];
      for (const source of ['hourly', 'legs'] as const) {
        const range = ranges[0]?.range as TimeRange;
        await sameApiAnswer('callStats', (runner) =>
          queryCallStats(runner, database, range, 'EXTENSION', { extensionIds: many }, sums, source),
        );
      }
      expectNoFindings(start);
    },
    slow,
  );

  it(
    'hourlyDensity in every zone',
    async () => {
      const start = dual.findings.length;
      for (const { range } of ranges) {
        for (const { filter } of statsFilters) {
          await sameApiAnswer('hourlyDensity', (runner) => queryHourlyDensity(runner, database, range, filter));
        }
      }
      expectNoFindings(start);
    },
    slow,
  );

  it(
    'queueStats with service levels and queue filters',
    async () => {
      const start = dual.findings.length;
      const queueFilters = [null, [], ['q-1'], queues.map((queue) => queue.queueId), ["x' OR '1'='1"]];
      let offered = 0;
      for (const { range } of ranges) {
        for (const [serviceLevelSeconds, queueIds] of [...queueFilters.map((ids) => [20, ids] as const), [30, null] as const]) {
          const answer = await sameApiAnswer('queueStats', (runner) =>
            queryQueueStats(runner, database, range, serviceLevelSeconds, queueIds),
          );
          for (const row of answer) offered += row.offered;
        }
      }
      expect(offered).toBeGreaterThan(100);
      expectNoFindings(start);
    },
    slow,
  );

  // The calls explorer's newer filters and order, the reports page's queries, business hours and the CSV export.
  it(
    'calls: the explorer`s newer filters (business hours, local weekdays and hours, maxima) and the DURATION order',
    async () => {
      const start = dual.findings.length;
      const byDuration = (['ASC', 'DESC'] as SortDirection[]).map((direction) => ({ field: 'DURATION' as CallOrderField, direction }));
      const walks = [
        ...byDuration.map((order) => ({ order, filter: {} })),
        ...explorerFilters.map(({ filter }) => ({ order: { field: 'START' as const, direction: 'DESC' as const }, filter })),
        ...explorerFilters.map(({ filter }) => ({ order: byDuration[0] as CallOrder, filter })),
      ];
      for (const range of [ranges[2]?.range, ranges[3]?.range] as TimeRange[]) {
        for (const { filter, order } of walks) {
          let after: string | null = null;
          for (let page = 0; page < 2; page++) {
            const query: CallsPageQuery = { database, range, filter, order, first: 50, after, count: page === 0 };
            const connection = await sameApiAnswer('calls', (runner) => queryCalls(runner, query));
            if (!connection.pageInfo.hasNextPage) break;
            after = connection.pageInfo.endCursor;
          }
        }
      }
      expectNoFindings(start);
    },
    slow,
  );

  it(
    'the reports: KPIs with the previous period, volume per hour and day (both sources), heatmap, exact p50/p90, leaderboard',
    async () => {
      const start = dual.findings.length;
      let cells = 0;
      let buckets = 0;
      for (const { range } of ranges) {
        for (const { filter } of reportFilters) {
          const kpis = await sameApiAnswer('reportKpis', (runner) => queryReportKpis(runner, database, range, filter, 20));
          cells += kpis.current.calls;
          const heatmap = await sameApiAnswer('weekdayHourHeatmap', (runner) => queryHeatmap(runner, database, range, filter));
          const durations = await sameApiAnswer('durationStats', (runner) => queryDurations(runner, database, range, filter));
          const order = { field: 'AVERAGE_HANDLE_TIME', direction: 'DESC' } as const;
          const agents = await sameApiAnswer('agentLeaderboard', (runner) => queryLeaderboard(runner, database, range, filter, order, 4));
          const density = await sameApiAnswer('hourlyDensity', (runner) => queryHourlyDensity(runner, database, range, filter));
          // The time-bucketed sums (migration 0011) where they answer, and the legs form: the same figures.
          const previous = { ...range, fromMs: previousPeriod(range).fromMs };
          if (bucketsAnswer('quarters', previous, filter)) {
            expect(
              await sameApiAnswer('reportKpis (legs)', (runner) => queryReportKpis(runner, database, range, filter, 20, false)),
            ).toEqual(kpis);
          }
          if (bucketsAnswer('quarters', range, filter)) {
            expect(
              await sameApiAnswer('weekdayHourHeatmap (legs)', (runner) => queryHeatmap(runner, database, range, filter, false)),
            ).toEqual(heatmap);
            expect(
              await sameApiAnswer('hourlyDensity (legs)', (runner) => queryHourlyDensity(runner, database, range, filter, false)),
            ).toEqual(density);
            buckets += 1;
          }
          if (bucketsAnswer('phases', range, filter)) {
            expect(await sameApiAnswer('durationStats (legs)', (runner) => queryDurations(runner, database, range, filter, false))).toEqual(
              durations,
            );
          }
          if (bucketsAnswer('days', range, filter)) {
            expect(
              await sameApiAnswer('agentLeaderboard (legs)', (runner) =>
                queryLeaderboard(runner, database, range, filter, order, 4, false),
              ),
            ).toEqual(agents);
          }
        }
        // callVolume through callStats' source choice: the hourly table where it answers, the legs otherwise.
        for (const interval of ['HOUR', 'DAY'] as const) {
          for (const { filter } of reportFilters.slice(0, 2)) {
            await sameApiAnswer('callVolume', (runner) => queryVolume(runner, database, range, interval, filter));
          }
        }
      }
      for (const field of Object.keys(agentOrderFields) as AgentOrderField[]) {
        for (const direction of ['ASC', 'DESC'] as const) {
          await sameApiAnswer('agentLeaderboard', (runner) =>
            queryLeaderboard(runner, database, ranges[0]?.range as TimeRange, {}, { field, direction }, 3),
          );
        }
      }
      expect(cells).toBeGreaterThan(1000);
      expect(buckets).toBeGreaterThan(0);
      expectNoFindings(start);
    },
    slow,
  );

  it(
    'business hours in callStats, queueStats, and the CSV export`s statement (every row, in order)',
    async () => {
      const start = dual.findings.length;
      for (const { range } of ranges.slice(0, 4)) {
        for (const businessHours of businessHoursFilters) {
          await sameApiAnswer('callStats', (runner) =>
            queryCallStats(runner, database, range, 'DAY', { businessHours, excludeResults: nonCallResults }, allFigures),
          );
          await sameApiAnswer('queueStats', (runner) => queryQueueStats(runner, database, range, 20, null, businessHours));
        }
      }
      for (const { range } of [ranges[1], ranges[7]] as Array<{ range: TimeRange }>) {
        for (const { filter } of [{ filter: {} }, ...explorerFilters.slice(-2)]) {
          for (const order of [
            { field: 'START', direction: 'DESC' },
            { field: 'DURATION', direction: 'ASC' },
          ] as CallOrder[]) {
            const statement = callsExportSql({ database, range, filter, order });
            await dual.rows('calls export', statement.text, { ordered: true, settings: querySettings(statement.text, 600) });
          }
        }
      }
      expectNoFindings(start);
    },
    slow,
  );

  it('the live board`s seed and today`s figures in every zone', async () => {
    const start = dual.findings.length;
    // "Now" inside the data: the board reads the day before, today's figures run from the zone's midnight.
    const nows = ['2026-03-02T12:00:00Z', '2026-03-08T09:30:00Z', '2026-03-29T23:59:59Z', '2024-05-14T20:00:00Z'].map(Date.parse);
    let agents = 0;
    for (const nowMs of nows) {
      // The seed is read into maps, its statement has no ORDER BY: its rows are compared sorted.
      await sameApiAnswer('board seed', (runner) => readBoardSeed(runner, database, nowMs), ['board_seed']);
      for (const timeZone of zones) {
        const today = await sameApiAnswer('todayStats', (runner) => readToday(runner, database, timeZone, 20, nowMs));
        agents += today.agents.length;
      }
    }
    expect(agents).toBeGreaterThan(20);
    expectNoFindings(start);
  });

  it('the KPI strip`s past hour: today at each minute in every zone, the completed calls at each instant', async () => {
    const start = dual.findings.length;
    const found = await compareKpiHistory(sameApiAnswer, database, allRecords, zones);
    expect(found.offeredToday).toBeGreaterThan(0);
    expect(found.busyInstants).toBeGreaterThan(0);
    expect(found.waitingInstants).toBeGreaterThan(0);
    expectNoFindings(start);
  });

  it('the call drawer: party events through reporting`s writer (new ones only), the table, callTimeline in every zone', async () => {
    const start = dual.findings.length;
    const calls = partyEventsCalls();
    const writeEvents = (engine: Engine, records: PartyEventsRecord[]) =>
      new RecordWriter(engine.client, database, logger).write(records.map((record, i) => ({ record, source: i })));
    // A first emission with part of each session's events, then all of them, twice (a re-emission and its replay).
    for (const [label, records] of [
      ['the first emissions', calls.flatMap((call) => call.early)],
      ['all events, twice', calls.flatMap((call) => [...call.all, ...call.all])],
    ] as const) {
      const [before, beforeChdb] = await onBoth('the writer`s event look-up', (engine) => storedKeys(engine.client, database, calls));
      expect(beforeChdb, `the look-up before ${label}`).toEqual(before);
      const [fromStack, fromChdb] = await onBoth(`writing ${label}`, (engine) => writeEvents(engine, [...records]));
      expect({ inserted: fromChdb.inserted, skipped: fromChdb.skipped.length, rejected: fromChdb.rejected }).toEqual({
        inserted: fromStack.inserted,
        skipped: fromStack.skipped.length,
        rejected: fromStack.rejected,
      });
      expect(fromStack.inserted).toBeGreaterThan(0);
    }
    const columns = Object.keys(partyEventsColumns).filter((column) => column !== 'inserted_at' && column !== 'event_time');
    // Each event once on both engines, however often it was written.
    const counted = await onBoth('counting events', async (engine) => {
      const result = await engine.client.query({ query: `SELECT count() AS n FROM \`${database}\`.party_events`, format: 'JSONEachRow' });
      return Number((await result.json<{ n: string | number }>())[0]?.n);
    });
    const distinct = new Set(
      calls.flatMap((call) =>
        call.all.flatMap((record) => record.events.map((e) => `${e.telephonySessionId}:${e.partyId}:${e.sequence}:${e.notificationUuid}`)),
      ),
    );
    expect(counted).toEqual([distinct.size, distinct.size]);
    await dual.rows(
      'party_events',
      `SELECT ${columns.join(', ')}, toUnixTimestamp(event_time) AS event_s FROM \`${database}\`.party_events`,
      {
        ordered: false,
      },
    );
    expect(await compareTimelines(sameApiAnswer, database, calls, zones)).toBeGreaterThan(calls.length);
    expectNoFindings(start);
  });

  it('alert transitions: the API sink`s rows, its id look-up, and docs/bi.md`s reading of them', async () => {
    const start = dual.findings.length;
    const baseMs = Date.UTC(2026, 2, 29, 0, 30, 0); // the night Europe's clocks go forward, one month's end near
    const transitions = Array.from({ length: 40 }, (_, i): AlertTransition => {
      const seq = (i % 4) + 1;
      const firing = seq % 2 === 1;
      return {
        id: `rule-${i % 3}:subject-${Math.floor(i / 4)}:${seq}`,
        ruleId: `rule-${i % 3}`,
        ruleName: i % 3 === 0 ? 'Warteschlange «Support» ✓' : `rule ${i % 3}`,
        severity: (['INFO', 'WARNING', 'CRITICAL'] as const)[i % 3] ?? 'INFO',
        conditionKind: i % 2 === 0 ? 'SERVICE_LEVEL' : 'QUEUE_WAITING',
        subject: `subject-${Math.floor(i / 4)}`,
        subjectName: i % 5 === 0 ? null : `Queue ${i}`,
        status: firing ? 'FIRING' : 'RESOLVED',
        seq,
        value: i % 7 === 0 ? null : i * 1.25,
        threshold: 80.5,
        atMs: baseMs + i * 3_600_000 + 123,
        firedAtMs: firing ? null : baseMs + i * 3_600_000 - 60_000,
        summary: `summary ${i}`,
        targetIds: i % 2 === 0 ? ['a', 'b'] : [],
      };
    });
    const rows = transitions.map((transition, i) => transitionRow(transition, `${1_700_000_000_000 + i}-0`, 1_774_000_000));
    // Every row, then a third of them again (the copy a sink that died before its cursor write could leave).
    await onBoth('inserting alert transitions', async (engine) => {
      for (const batch of [rows, rows.filter((_, i) => i % 3 === 0)]) {
        await engine.client.insert({ table: `\`${database}\`.alert_transitions`, values: batch, format: 'JSONEachRow' });
      }
    });
    const table = `\`${database}\`.alert_transitions`;
    const columns = Object.keys(alertTransitionsColumns).filter((column) => column !== 'at' && column !== 'inserted_at');
    await dual.rows(
      'alert_transitions, one row per id',
      `SELECT ${columns.join(', ')}, toUnixTimestamp(at) AS at_s FROM ${table} LIMIT 1 BY id`,
      {
        ordered: false,
      },
    );
    await dual.rows(
      'the sink`s id look-up',
      sql`SELECT id FROM ${ident(tableNames.alertTransitions, database)} WHERE id IN (${list(transitions.slice(0, 10).map((t) => t.id))})`
        .text,
      { ordered: false },
    );
    await dual.rows(
      'docs/bi.md: alerts fired per rule and day',
      `SELECT toDate(at) AS day, rule_name, severity, uniqExactIf(id, status = 'FIRING') AS fired,
              round(avgIf((at_ms - fired_at_ms) / 1000, status = 'RESOLVED')) AS avg_firing_s
       FROM (SELECT * FROM ${table} WHERE at >= toDateTime('2026-03-01 00:00:00') LIMIT 1 BY id)
       GROUP BY day, rule_name, severity ORDER BY day, fired DESC, rule_name`,
      { ordered: true },
    );
    const counted = await dual.rows('exact counts', `SELECT uniqExact(id) AS ids, count() AS n FROM ${table}`, { ordered: true });
    expect(counted).toEqual([{ ids: new Set(transitions.map((t) => t.id)).size, n: rows.length + Math.ceil(rows.length / 3) }]);
    expectNoFindings(start);
  });

  it('the readiness look-up of the API (services/api/src/app.ts)', async () => {
    const start = dual.findings.length;
    const rows = await dual.rows('readiness', sql`SELECT name FROM system.databases WHERE name = ${database}`.text, { ordered: false });
    expect(rows).toEqual([{ name: database }]);
    expectNoFindings(start);
  });

  it('covers every result and grouping', () => {
    // The generated data has the results the figures count by, so a result column that differed would show.
    const results = new Set(allRecords.flatMap((record) => (record.kind === 'leg' ? [record.result] : [])));
    expect(results.size).toBeGreaterThanOrEqual(7);
    expect(legResults).toEqual(expect.arrayContaining([...results]));
  });
});
