// The WHERE clause over legs_latest for the history queries. Every value goes through the shared escaping
// (`sql`, `list`), so no text from a request reaches ClickHouse as SQL.
import { tableNames } from '@callpulse/contracts';
import { escapeString, ident, list, Sql, sql } from '@callpulse/platform';
import { type BusinessHoursFilter, businessHoursCondition } from './business-hours-sql.js';
import { businessHoursStartRanges, startRangesCondition } from './business-hours-starts.js';
import { numberSearchParts } from './number-search.js';
import type { TimeRange } from './time-range.js';

export interface LegFilter {
  /** One call's legs (the table is ordered by session, so this reads little). */
  telephonySessionId?: string | null;
  extensionIds?: readonly string[] | null;
  direction?: string | null;
  results?: readonly string[] | null;
  queueIds?: readonly string[] | null;
  /** Part of the caller's or the callee's number. */
  phoneNumber?: string | null;
  /**
   * How many start times migration 0014's index holds for the part's numbers in the range (number-search.ts
   * withNumberStarts, up to MAX_INDEXED_STARTS + 1): the queries read the index when it is few; not counted (null),
   * the per-row test alone. Never changes which legs match.
   */
  phoneNumberStarts?: number | null;
  minRingMs?: number | null;
  minTalkMs?: number | null;
  minHoldMs?: number | null;
  /** Results left out: the agents' figures leave out legs that are no call an agent handled (nonCallResults). */
  excludeResults?: readonly string[] | null;
  /** Connected at some point (answer_ms set), or never. */
  answered?: boolean | null;
  endedBy?: readonly string[] | null;
  maxRingMs?: number | null;
  maxTalkMs?: number | null;
  maxHoldMs?: number | null;
  minDurationMs?: number | null;
  maxDurationMs?: number | null;
  /** Days of the week (1 = Monday ... 7 = Sunday) and hours of the day (0-23) of the start, in the range's zone. */
  weekdays?: readonly number[] | null;
  hours?: readonly number[] | null;
  /** Started inside or outside the account's business hours. */
  businessHours?: BusinessHoursFilter | null;
}

export function inList(column: string, values: readonly string[] | null | undefined): Sql | undefined {
  if (values == null) return undefined;
  if (values.length === 0) return new Sql('0'); // an empty list matches nothing
  return new Sql(`${column} IN (${list(values).text})`);
}

/** A column (or expression) in a list of numbers; [] matches nothing. */
export function numberList(column: string, values: readonly number[] | null | undefined): Sql | undefined {
  if (values == null) return undefined;
  if (values.length === 0) return new Sql('0');
  return new Sql(`${column} IN (${list(values).text})`);
}

export function notInList(column: string, values: readonly string[] | null | undefined): Sql | undefined {
  if (values == null || values.length === 0) return undefined;
  return new Sql(`${column} NOT IN (${list(values).text})`);
}

/**
 * The range: start_time (the partition key) and start_ms (exact). A range in whole seconds (every date range, and
 * most instants) is exact on start_time alone, which is start_ms's second (reporting's rows.ts), so start_ms (8 bytes
 * a leg) is not read: a month's count on the bench's 10M legs 113-120 -> 93-100 ms.
 */
function rangeParts(range: TimeRange): Sql[] {
  if (range.fromMs % 1000 === 0 && range.toMs % 1000 === 0) {
    return [sql`start_time >= toDateTime(${range.fromMs / 1000})`, sql`start_time < toDateTime(${range.toMs / 1000})`];
  }
  return [
    sql`start_time >= toDateTime(${Math.floor(range.fromMs / 1000)})`,
    sql`start_time <= toDateTime(${Math.ceil(range.toMs / 1000)})`,
    sql`start_ms >= ${range.fromMs}`,
    sql`start_ms < ${range.toMs}`,
  ];
}

/** The range's conditions on a table with start_time and start_ms (legs, sessions and their copies): rangeParts. */
export const startRangeSql = (range: TimeRange): Sql => joined(rangeParts(range));

const joined = (parts: Array<Sql | undefined>): Sql =>
  new Sql(
    parts
      .filter((part): part is Sql => part !== undefined)
      .map((part) => part.text)
      .join(' AND ') || '1',
  );

/**
 * The table a range's rows are read from: legs itself (ordered by session) for one session's legs; legs_by_extension
 * (migration 0012: the same rows ordered by extension, then start time) when the filter names at most
 * FEW_EXTENSIONS extensions, so one extension's month reads its few granules, not the month's 3.4 million legs;
 * else legs_by_start (migration 0010: ordered by start time), so a day's query reads the day's granules, not its
 * month's. All three hold the same rows, so every query reads them alike.
 */
export function rangeTable(database: string, filter: LegFilter = {}): string {
  return ident(legTableFor(filter), database).text;
}

/**
 * Up to this many extensions, legs_by_extension reads less than legs_by_start even for a day: about one or two
 * granules (8,192 rows) per extension and month of the range, against ~14 per day on the bench's 111,000 legs a day.
 */
export const FEW_EXTENSIONS = 50;

/** Which copy of the legs answers the filter (rangeTable's choice, as plain data). */
export function legTableFor(filter: LegFilter): string {
  if (filter.telephonySessionId != null) return tableNames.legs;
  const extensions = filter.extensionIds;
  if (extensions != null && extensions.length > 0 && extensions.length <= FEW_EXTENSIONS) return tableNames.legsByExtension;
  return tableNames.legsByStart;
}

/** Conditions joined with AND; the range bounds start_time (the partition key) and start_ms (exact): rangeParts. */
export function legConditions(range: TimeRange, filter: LegFilter = {}): Sql {
  return joined([...rangeParts(range), ...filterParts(filter, range)]);
}

/** The filter's conditions without the range's (legConditions is the range's AND these); undefined when it has none. */
export function filterConditions(range: TimeRange, filter: LegFilter = {}): Sql | undefined {
  const parts = filterParts(filter, range).filter((part): part is Sql => part !== undefined);
  return parts.length === 0 ? undefined : joined(parts);
}

/**
 * The latest versions of the legs of the range that match the filter, as the clauses of a query on the legs table:
 * the +1 rows whose version has no -1 row, the superseded versions looked up among the -1 rows matching the same
 * conditions. Exact, because a -1 row is a copy of the +1 row it cancels and so matches the same conditions. The range
 * is a PREWHERE on both sides (ClickHouse reads the other columns only for the range's rows; the table is ordered by
 * session, so this keeps a week's query from reading its month: the calls page's key search 0.25 -> 0.16 s on 10M
 * legs). ClickHouse 18.16 does not push a WHERE into a view, so querying legs_latest would read every leg.
 */
export function latestLegClauses(database: string, range: TimeRange, filter: LegFilter = {}): Sql {
  const legs = rangeTable(database, filter);
  const inRange = joined(rangeParts(range)).text;
  const matching = joined(filterParts(filter, range, database)).text;
  return new Sql(
    `PREWHERE ${inRange} WHERE sign = 1 AND ${matching} AND (telephony_session_id, party_id, version) NOT IN ` +
      `(SELECT telephony_session_id, party_id, version FROM ${legs} PREWHERE ${inRange} WHERE sign = -1 AND ${matching})`,
  );
}

/**
 * How many latest versions of the range's legs match the filter: the sum of the signs of the matching rows (each
 * superseded version's +1 and -1 cancel out, and a -1 row matches whatever its +1 row matches), no dedupe needed.
 */
export function latestLegCount(database: string, range: TimeRange, filter: LegFilter = {}): Sql {
  const legs = rangeTable(database, filter);
  return new Sql(
    `SELECT sum(sign) AS total FROM ${legs} PREWHERE ${joined(rangeParts(range)).text} WHERE ${joined(filterParts(filter, range, database)).text}`,
  );
}

/**
 * The rows of the range's legs that match the filter, +1 and -1 alike, as `FROM legs PREWHERE ... WHERE ...`: sums
 * weighted by the sign over them (sum(sign), sumIf(sign, c), sum(sign * x)) are the figures of the latest versions,
 * exactly, without the version dedupe's lookup (a -1 row is a copy of the +1 row it cancels, so both match or neither
 * does). On 10M legs the dedupe's tuple look-up took most of a report's time (0.9 -> 0.2 s for a week's heatmap).
 * Only for sums and counts: maxima and quantiles need latestLegsInRange.
 */
export function signedLegRows(database: string, range: TimeRange, filter: LegFilter = {}): Sql {
  const legs = rangeTable(database, filter);
  return new Sql(`FROM ${legs} PREWHERE ${joined(rangeParts(range)).text} WHERE ${joined(filterParts(filter, range, database)).text}`);
}

/**
 * signedLegRows with the business hours' start ranges (business-hours-starts.ts) read one range per part of a UNION ALL:
 * `FROM (SELECT <columns> FROM legs PREWHERE <range> AND <one start range> WHERE <the other conditions> UNION ALL ...)`.
 * The same rows: the ranges are disjoint. In one WHERE, ClickHouse evaluates every range on every row read (the bench's
 * month: 27 ranges, about a third of the business-hours leaderboard's time); here each row meets one range's two
 * comparisons, and each part still reads only its range's granules. Undefined when the business hours are not start
 * ranges, there is none, or the filter searches a number (its index look-up would run once per part).
 */
export function signedLegRowsByStartRanges(
  database: string,
  range: TimeRange,
  filter: LegFilter,
  columns: readonly string[],
): Sql | undefined {
  if (filter.businessHours == null || filter.phoneNumber != null) return undefined;
  const ranges = businessHoursStartRanges(range, filter.businessHours);
  if (ranges === undefined || ranges.length === 0) return undefined;
  const legs = rangeTable(database, filter);
  const inRange = joined(rangeParts(range)).text;
  const others = joined(filterParts({ ...filter, businessHours: null }, range, database)).text;
  const parts = ranges.map(
    (startRange) =>
      `SELECT ${columns.join(', ')} FROM ${legs} PREWHERE ${inRange} AND ${startRangesCondition([startRange], 'start_time')} WHERE ${others}`,
  );
  return new Sql(`FROM (${parts.join(' UNION ALL ')})`);
}

const atLeast = (column: string, value: number | null | undefined) => (value == null ? undefined : sql`${new Sql(column)} >= ${value}`);
const atMost = (column: string, value: number | null | undefined) => (value == null ? undefined : sql`${new Sql(column)} <= ${value}`);

/**
 * Business hours as ranges of start_time where they are exact (business-hours-starts.ts: the table's time order then
 * skips the closed hours' granules, and no row's start is converted to the zone), else the per-row condition.
 */
function businessHoursPart(filter: BusinessHoursFilter | null | undefined, range: TimeRange): Sql | undefined {
  if (filter == null) return undefined;
  const ranges = businessHoursStartRanges(range, filter);
  return ranges === undefined ? businessHoursCondition(filter) : new Sql(startRangesCondition(ranges, 'start_time'));
}

/**
 * The conditions of a filter (the range's zone reads weekdays and hours; its bounds, the business hours' ranges). With
 * the database, the number search also narrows the rows by its index (number-search.ts); without, the per-row test.
 */
function filterParts(filter: LegFilter, range: TimeRange, database?: string): Array<Sql | undefined> {
  const zone = escapeString(range.timeZone);
  return [
    filter.telephonySessionId == null ? undefined : sql`telephony_session_id = ${filter.telephonySessionId}`,
    inList('extension_id', filter.extensionIds),
    filter.direction == null ? undefined : sql`direction = ${filter.direction}`,
    inList('result', filter.results),
    notInList('result', filter.excludeResults),
    inList('queue_id', filter.queueIds),
    ...numberSearchParts(filter, range, database),
    atLeast('ring_ms', filter.minRingMs),
    atLeast('talk_ms', filter.minTalkMs),
    atLeast('hold_ms', filter.minHoldMs),
    atMost('ring_ms', filter.maxRingMs),
    atMost('talk_ms', filter.maxTalkMs),
    atMost('hold_ms', filter.maxHoldMs),
    atLeast('duration_ms', filter.minDurationMs),
    atMost('duration_ms', filter.maxDurationMs),
    filter.answered == null ? undefined : new Sql(filter.answered ? 'answer_ms > 0' : 'answer_ms = 0'),
    inList('ended_by', filter.endedBy),
    numberList(`toDayOfWeek(toDate(start_time, ${zone}))`, filter.weekdays),
    numberList(`toHour(start_time, ${zone})`, filter.hours),
    businessHoursPart(filter.businessHours, range),
  ];
}

/** The latest version of every leg that started in the range and matches the filter, as a subquery: what legs_latest holds. */
export function latestLegsInRange(database: string, range: TimeRange, filter: LegFilter = {}): Sql {
  return new Sql(`(SELECT * FROM ${rangeTable(database, filter)} ${latestLegClauses(database, range, filter).text})`);
}
