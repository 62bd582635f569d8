// calls(filter, first, after, orderBy): completed legs, latest versions, keyset-paginated on
// (sort column, telephony_session_id, party_id) so pages stay right while new legs arrive. A page is fetched in two
// phases within one query: the keys of its legs first, ordered and cut reading only narrow columns, then every column
// of just those legs, found cheaply through the primary key of legs_by_start (start_time, telephony_session_id,
// party_id, version): a page's legs started close together when it is sorted by start, so they share a few granules.
// Sorted by start, the page is looked for in the day at its end first (start-windows.ts); sorted by a duration, among
// the legs beyond a threshold guessed from the first rows' values (value-windows.ts); totalCount comes from
// leg_quarter_hours when it answers the filter (bucket-source.ts), from the legs' signs otherwise. ClickHouse fills
// an insert's views one after the other, so for the milliseconds between them the count may hold a leg the page does
// not show yet (never the other way round within the page: its keys and rows come from one table).
import { type LegRecordColumn, legRecordColumns, tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import type { Connection } from '../paging/connection.js';
import { decodeCursor, encodeCursor } from '../paging/cursor.js';
import { bucketsAnswer } from './bucket-source.js';
import { bucketConditions } from './bucket-sql.js';
import { type CallNode, callFromRow, type LegRow, legRowColumns } from './call-node.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type LegFilter, latestLegClauses, latestLegCount, legConditions, rangeTable } from './leg-filter.js';
import { startWindows } from './start-windows.js';
import type { TimeRange } from './time-range.js';
import {
  guessSql,
  hintedWindowSql,
  type PageKey,
  pageRowsSql,
  type WindowParts,
  windowKeyColumns,
  windowRowsSql,
} from './value-window-sql.js';
import {
  beyondCursor,
  type GuessedRow,
  guessLimit,
  hintedKeys,
  latestRows,
  MAX_HINTS,
  pageHints,
  valueWindow,
  type WindowRow,
  windowBounds,
  windowHoldsPage,
} from './value-windows.js';

export const callOrderFields = { START: 'start_ms', DURATION: 'duration_ms', RING: 'ring_ms', TALK: 'talk_ms', HOLD: 'hold_ms' } as const;
export type CallOrderField = keyof typeof callOrderFields;
export type SortDirection = 'ASC' | 'DESC';

export interface CallOrder {
  field: CallOrderField;
  direction: SortDirection;
}

/**
 * [field, direction, sort value, telephonySessionId, partyId] of the last row of a page, and on a page sorted by a
 * duration the thresholds of the next pages' windows (value-windows.ts pageHints), when its guess read them.
 */
type CallCursor =
  | [CallOrderField, SortDirection, number, string, string]
  | [CallOrderField, SortDirection, number, string, string, number[]];

/** Thresholds as pageHints makes them: whole numbers >= 0, at most MAX_HINTS (a cursor with others is not ours). */
const isHints = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length <= MAX_HINTS && value.every((hint) => Number.isSafeInteger(hint) && hint >= 0);

const isCallCursor =
  (order: CallOrder) =>
  (value: unknown): value is CallCursor =>
    Array.isArray(value) &&
    (value.length === 5 || (value.length === 6 && order.field !== 'START' && isHints(value[5]))) &&
    value[0] === order.field &&
    value[1] === order.direction &&
    typeof value[2] === 'number' &&
    Number.isFinite(value[2]) &&
    value[2] >= 0 &&
    typeof value[3] === 'string' &&
    typeof value[4] === 'string';

export interface CallsPageQuery {
  database: string;
  range: TimeRange;
  filter: LegFilter;
  order: CallOrder;
  first: number;
  after?: string | null;
  /** Whether totalCount is asked for (it costs a second query). */
  count?: boolean;
  /** The columns the page's rows read (call-node.ts callColumns; the sort column is added): every column when unset. */
  read?: readonly LegRecordColumn[];
}

/** The SELECT list of a page's rows: the columns asked for and the sort column (the cursor's value). */
const pageColumns = (query: Pick<CallsPageQuery, 'read' | 'order'>): string[] =>
  legRowColumns(query.read === undefined ? legRecordColumns : [...query.read, callOrderFields[query.order.field]]);

/**
 * The page query (first + 1 rows, to know whether there is a next page) and the count query. The filter and the
 * cursor apply where the keys are chosen (latestLegClauses: both sides of the version dedupe); the outer query
 * only fetches the chosen legs' +1 rows by their whole sorting key, bounded to the range so it reads the range's
 * partitions alone (and to the filter's extensions: legs_by_extension's key starts with them).
 */
export function callsSql(query: CallsPageQuery): { page: Sql; count: Sql } {
  const legs = rangeTable(query.database, query.filter);
  const latest = latestLegClauses(query.database, query.range, query.filter).text;
  const keys = `SELECT ${pageKey} FROM ${legs} ${latest}${keysetOf(query)} ${orderOf(query.order)} LIMIT ${query.first + 1}`;
  const count = latestLegCount(query.database, query.range, query.filter);
  return { page: pageSql(query, keys), count };
}

const pageKey = 'start_time, telephony_session_id, party_id, version';

const orderOf = (order: CallOrder) => {
  const column = callOrderFields[order.field];
  return `ORDER BY ${column} ${order.direction}, telephony_session_id ${order.direction}, party_id ${order.direction}`;
};

/** The cursor's sort value, or undefined on the first page (checks the cursor). */
function cursorValue(query: CallsPageQuery): number | undefined {
  return query.after == null ? undefined : decodeCursor(query.after, isCallCursor(query.order))[2];
}

/** The thresholds the cursor hands on (none on the first page, nor in a cursor made before hints). */
function cursorHints(query: CallsPageQuery): number[] {
  return query.after == null ? [] : (decodeCursor(query.after, isCallCursor(query.order))[5] ?? []);
}

/** The keyset condition after the cursor (` AND (...) < (...)`), or '' on the first page. */
function keysetOf(query: CallsPageQuery): string {
  if (query.after == null) return '';
  const [, , value, telephonySessionId, partyId] = decodeCursor(query.after, isCallCursor(query.order));
  const op = query.order.direction === 'DESC' ? '<' : '>';
  return ` AND (${callOrderFields[query.order.field]}, telephony_session_id, party_id) ${op} ${sql`(${value}, ${telephonySessionId}, ${partyId})`.text}`;
}

/** Every column of the legs whose keys the `keys` query chose, in the page's order. */
function pageSql(query: CallsPageQuery, keys: string): Sql {
  const legs = rangeTable(query.database, query.filter);
  return new Sql(
    `SELECT ${pageColumns(query).join(', ')} FROM ${legs} WHERE sign = 1 AND ${legConditions(query.range, { extensionIds: query.filter.extensionIds }).text} ` +
      `AND (${pageKey}) IN (${keys}) ${orderOf(query.order)}`,
  );
}

/** A page's rows (first + 1 at most) and the thresholds of the next pages its cursor hands on. */
export interface PageRows {
  rows: LegRow[];
  hints: number[];
}

/**
 * The page sorted by a duration from its value window (value-windows.ts): on a cursor page carrying a threshold, the
 * window's keys read through it (hintedWindowSql: no guess); else the guess's query (numbers only, the cursor as a
 * bound on the value: the keyset's strings are read only in the window) and the keys of the window's rows; then every
 * column of the page's rows alone; a window of about a page (WHOLE_ROWS_WINDOW) reads the page's columns itself.
 * Undefined when no window holds the page (the caller runs the plain query).
 */
export async function valueWindowRows(runner: QueryRunner, query: CallsPageQuery): Promise<PageRows | undefined> {
  const after = cursorValue(query);
  const parts: WindowParts = {
    legs: rangeTable(query.database, query.filter),
    range: legConditions(query.range).text,
    matching: `${legConditions(query.range, query.filter).text}${keysetOf(query)}`,
    column: callOrderFields[query.order.field],
    direction: query.order.direction,
  };
  const need = query.first + 1;
  const limit = guessLimit(query.first, after !== undefined);
  // Three queries at most, four with totalCount (API_CLICKHOUSE_QUERIES_PER_REQUEST's default): the count, the guess,
  // the window's keys and the page's rows, or the plain query instead of the page's rows when the window comes back
  // short; one less through a hint (the window's keys read through it, then the page's rows or the plain query).
  const [hint, ...later] = cursorHints(query);
  if (hint !== undefined) {
    const bounds = windowBounds(parts.column, parts.direction, hint, after);
    const inWindow = await runner.rows<PageKey & WindowRow>('calls_value_hinted', hintedWindowSql(parts, bounds, windowKeyColumns, limit));
    const keys = hintedKeys(inWindow, limit, need);
    return keys === undefined ? undefined : pageOf(runner, parts, keys, later, pageColumns(query));
  }
  const guessed = await runner.rows<Record<'value' | 'sign' | 'start_s', number | string>>(
    'calls_value_guess',
    guessSql(parts, windowBounds(parts.column, parts.direction, undefined, after), limit),
  );
  const rows = guessed.map((row): GuessedRow => ({ value: Number(row.value), sign: Number(row.sign), startS: Number(row.start_s) }));
  const window = valueWindow(rows, limit, need, beyondCursor(parts.direction, after));
  if (window === 'empty') return { rows: [], hints: [] };
  if (window === 'unknown') return undefined;
  const bounds = windowBounds(parts.column, parts.direction, window.threshold, after);
  const hints = pageHints(rows, limit, query.first, beyondCursor(parts.direction, after));
  if (window.startS.length <= WHOLE_ROWS_WINDOW * need) {
    // A window of about a page: its rows with every column asked for, in one read of their granules.
    const inWindow = await runner.rows<LegRow & WindowRow>(
      'calls_value_window_rows',
      windowRowsSql(parts, window, bounds, windowPageColumns(query)),
    );
    const page = latestRows(inWindow, need);
    if (!windowHoldsPage(window, page.length, need)) return undefined;
    return { rows: page.map(({ sign: _sign, ...row }) => row as LegRow), hints };
  }
  const inWindow = await runner.rows<PageKey & WindowRow>('calls_value_window', windowRowsSql(parts, window, bounds, windowKeyColumns));
  const keys = latestRows(inWindow, need);
  if (!windowHoldsPage(window, keys.length, need)) return undefined;
  return pageOf(runner, parts, keys, hints, pageColumns(query));
}

/**
 * Up to this many window rows (starts) per row of the page, the window reads the page's columns itself instead of its
 * keys then the page's rows by key: one read of about the same granules instead of two (the month sorted by talk,
 * 105 rows for a page of 101: 92-95 ms against 31-37 + 102-138 ms in SQL). Beyond it (ties, cancelled versions, a
 * cursor's rows at its value) the keys-only window reads much less than every column of granules the page never uses.
 */
const WHOLE_ROWS_WINDOW = 1.5;

/** The page's columns with the key the window's dedupe needs (latestRows: session, party, version), whatever was asked. */
const windowPageColumns = (query: Pick<CallsPageQuery, 'read' | 'order'>): string[] =>
  query.read === undefined
    ? pageColumns(query)
    : pageColumns({ ...query, read: [...query.read, 'telephony_session_id', 'party_id', 'version'] });

/** Every column of the page's chosen keys; undefined when fewer come back (a merge collapsed a version between the queries). */
async function pageOf(
  runner: QueryRunner,
  parts: WindowParts,
  keys: PageKey[],
  hints: number[],
  columns: readonly string[],
): Promise<PageRows | undefined> {
  if (keys.length === 0) return { rows: [], hints: [] };
  const page = await runner.rows<LegRow>('calls_value_page', pageRowsSql(parts, keys, columns));
  return page.length === keys.length ? { rows: page, hints } : undefined;
}

/**
 * Every leg of a calls filter in its order, for the CSV export: the keys' query without keyset or limit, reading every
 * column, or only `read` (the others come as empty text, so the rows keep legRecordColumns' shape and ClickHouse sorts
 * and sends only what the CSV shows). Streamed as ClickHouse sorts and sends it (max_bytes_before_external_sort keeps
 * ClickHouse's memory bounded for long ranges).
 */
export function callsExportSql(
  query: Pick<CallsPageQuery, 'database' | 'range' | 'filter' | 'order'>,
  read: readonly string[] = legRecordColumns,
): Sql {
  const legs = rangeTable(query.database, query.filter);
  const latest = latestLegClauses(query.database, query.range, query.filter).text;
  const column = callOrderFields[query.order.field];
  const dir = query.order.direction;
  return new Sql(
    `SELECT ${legRowColumns(read).join(', ')} FROM ${legs} ${latest} ` +
      `ORDER BY ${column} ${dir}, telephony_session_id ${dir}, party_id ${dir}`,
  );
}

/** totalCount from leg_quarter_hours: the same sum of signs, for what bucket-source.ts lets it answer. */
export function quarterCountSql(query: Pick<CallsPageQuery, 'database' | 'range' | 'filter'>): Sql {
  return new Sql(
    `SELECT sum(sum_legs) AS total FROM ${ident(tableNames.legQuarterHours, query.database).text} WHERE ${bucketConditions(query.range, query.filter, true)}`,
  );
}

/** The page's rows: sorted by start, from the first window that holds a full page (start-windows.ts); else the range's. */
async function pageRows(runner: QueryRunner, query: CallsPageQuery, whole: Sql): Promise<PageRows> {
  if (query.order.field !== 'START') {
    // One call's legs (read by session, a few rows) need no window.
    if (query.filter.telephonySessionId != null) return { rows: await runner.rows<LegRow>('calls', whole), hints: [] };
    return (await valueWindowRows(runner, query)) ?? { rows: await runner.rows<LegRow>('calls_widened', whole), hints: [] };
  }
  const cursorStart = cursorValue(query);
  const windows = startWindows(query.range, query.order.direction, cursorStart);
  let rows: LegRow[] = [];
  for (const [i, window] of windows.entries()) {
    rows = await runner.rows<LegRow>(
      i === 0 ? 'calls' : 'calls_widened',
      callsSql({ ...query, range: { ...query.range, ...window } }).page,
    );
    if (rows.length > query.first) break;
  }
  return { rows, hints: [] };
}

export async function queryCalls(runner: QueryRunner, query: CallsPageQuery): Promise<Connection<CallNode>> {
  const whole = callsSql(query); // checks the cursor before any query starts
  const count = () =>
    bucketsAnswer('quarters', query.range, query.filter)
      ? runner.rows<{ total: number | string }>('calls_count_quarters', quarterCountSql(query))
      : runner.rows<{ total: number | string }>('calls_count', whole.count);
  const [{ rows, hints }, counted] = await Promise.all([
    pageRows(runner, query, whole.page),
    query.count === false ? Promise.resolve([]) : count(),
  ]);
  const column = callOrderFields[query.order.field];
  const shown = rows.slice(0, query.first);
  // The page's last row (its endCursor) hands on the next pages' thresholds, when there is a next page.
  const handOn = (i: number) => (i === shown.length - 1 && rows.length > query.first && hints.length > 0 ? [hints] : []);
  const edges = shown.map((row, i) => ({
    node: callFromRow(row),
    cursor: encodeCursor([
      query.order.field,
      query.order.direction,
      Number(row[column]),
      row.telephony_session_id,
      row.party_id,
      ...handOn(i),
    ]),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > query.first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: Number(counted[0]?.total ?? 0),
  };
}
