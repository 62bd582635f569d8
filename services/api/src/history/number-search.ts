// The number search (the phoneNumber filter: part of the caller's or the callee's number) as conditions on the legs:
// the per-row test, which decides, and the index of migration 0014, which only narrows the rows the test reads.
import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import type { QueryRunner } from './clickhouse-runner.js';
import type { TimeRange } from './time-range.js';

/** The shortest part the index holds (migration 0014 keeps the suffixes of 4 bytes or more of every number). */
export const MIN_INDEXED_PART_BYTES = 4;

/**
 * Above this many different start times of matching numbers in the range, the index is not used: each start time is
 * about one granule of legs_by_start (8,192 rows; a month of the bench's legs is ~420 granules), so beyond a few
 * hundred the index saves little and its set costs more than it saves. On 10M legs, a month: a part with 38 start
 * times, count 3.4M -> 0.31M rows read, 166-187 -> 16-20 ms; last 4 digits with 1,372, 3.31M rows read either way
 * (the page 557-607 ms without, 649-1,313 with); the account's own number, on every leg, page 3.4 s with against
 * 0.5 s without. Such parts are searched by the per-row test alone.
 */
export const MAX_INDEXED_STARTS = 250;

export type NumberSearchPlan = 'none' | 'scan' | 'index';

/** The number search's fields of a leg filter (leg-filter.ts LegFilter; named here so neither file imports the other). */
export interface NumberSearchFilter {
  phoneNumber?: string | null;
  phoneNumberStarts?: number | null;
}

/**
 * How a search is run: 'none' without a part; 'index' (the per-row test narrowed by the index) when the part is long
 * enough for the index and the index's start times of its numbers in the range were counted (`starts`, see
 * countNumberStarts) and are at most MAX_INDEXED_STARTS; else 'scan' (the per-row test alone, as before 0014).
 */
export function numberSearchPlan(
  part: string | null | undefined,
  database: string | undefined,
  starts: number | null | undefined,
): NumberSearchPlan {
  if (part == null || part === '') return 'none';
  if (!indexable(part) || database === undefined || starts == null || starts > MAX_INDEXED_STARTS) return 'scan';
  return 'index';
}

/** Whether the index holds the numbers of a part (it keeps their suffixes of MIN_INDEXED_PART_BYTES or more). */
export const indexable = (part: string): boolean => Buffer.byteLength(part, 'utf8') >= MIN_INDEXED_PART_BYTES;

/** The per-row test: the part is in the caller's or the callee's number (bytes, as ClickHouse's position). */
export function numberRowTest(part: string): Sql {
  return sql`(position(from_number, ${part}) > 0 OR position(to_number, ${part}) > 0)`;
}

/**
 * The legs whose start_time is a start time of a number holding the part (in the range). A superset of the legs the
 * per-row test matches, +1 and -1 rows alike, so it goes WITH the test, never instead of it; a table ordered by
 * start_time first (legs_by_start) then reads only the granules of those start times. (No scalar subquery decides
 * here between this and the test alone: ClickHouse 18.16 does not fold one before it reads the primary key, so
 * `(SELECT ...) OR start_time IN (...)` read every granule.)
 */
export function numberIndexCondition(database: string, part: string, range: TimeRange): Sql {
  return new Sql(`start_time IN (${numberStartTimes(database, part, range, 'SELECT start_time').text})`);
}

/** The index's start times of the numbers holding the part, in the range (a day either side for the month). */
function numberStartTimes(
  database: string,
  part: string,
  range: TimeRange,
  select: 'SELECT start_time' | 'SELECT DISTINCT start_time',
): Sql {
  const suffixes = ident(tableNames.legNumberSuffixes, database).text;
  const starts = ident(tableNames.legNumberStarts, database).text;
  const fromS = Math.floor(range.fromMs / 1000);
  const toS = Math.ceil(range.toMs / 1000);
  // A day either side of the range: the month of a start is the server's toYYYYMM, whatever its time zone.
  const months = sql`month >= toYYYYMM(toDateTime(${Math.max(0, fromS - 86_400)})) AND month <= toYYYYMM(toDateTime(${toS + 86_400}))`;
  const numbers = `SELECT number FROM ${suffixes} WHERE ${sql`suffix >= ${part} AND suffix < concat(${part}, unhex('FF'))`.text} AND ${months.text}`;
  const inRange = sql`start_time >= toDateTime(${fromS}) AND start_time <= toDateTime(${toS})`.text;
  return new Sql(`${select} FROM ${starts} WHERE number IN (${numbers}) AND ${inRange}`);
}

/**
 * How many different start times the index holds for the part's numbers in the range, counted up to
 * MAX_INDEXED_STARTS + 1 (different ones: the index's duplicates, which merges drop at their own pace, count once, so
 * the choice does not depend on merges).
 */
export function numberStartsSql(database: string, part: string, range: TimeRange): Sql {
  const starts = numberStartTimes(database, part, range, 'SELECT DISTINCT start_time').text;
  return new Sql(`SELECT count() AS starts FROM (${starts} LIMIT ${MAX_INDEXED_STARTS + 1})`);
}

/**
 * The filter with its number search's start times counted (phoneNumberStarts), so the queries built from it read the
 * index when it pays (numberSearchPlan); the filter itself without a part the index holds. One small query: the
 * part's range of leg_number_suffixes and its numbers' granules of leg_number_starts.
 */
export async function withNumberStarts<F extends NumberSearchFilter>(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: F,
): Promise<F> {
  const part = filter.phoneNumber;
  if (part == null || part === '' || !indexable(part)) return filter;
  const [row] = await runner.rows<{ starts: number | string }>('calls_number_starts', numberStartsSql(database, part, range));
  return { ...filter, phoneNumberStarts: Number(row?.starts ?? MAX_INDEXED_STARTS + 1) };
}

/** The search's conditions (joined with AND by the caller), or [] without a part. */
export function numberSearchParts(filter: NumberSearchFilter, range: TimeRange, database?: string): Sql[] {
  const part = filter.phoneNumber;
  const plan = numberSearchPlan(part, database, filter.phoneNumberStarts);
  if (plan === 'none' || part == null) return [];
  if (plan === 'scan' || database === undefined) return [numberRowTest(part)];
  return [numberIndexCondition(database, part, range), numberRowTest(part)];
}
