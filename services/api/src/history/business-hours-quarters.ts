// Business hours as a set of the range's UTC quarter hours, on plain data, for the tables bucketed by quarter hour
// (migration 0011): `toUInt32(bucket) IN (...)` costs a hash look-up per row instead of business-hours-sql.ts's five
// conversions of every bucket to the zone, and ClickHouse's primary-key analysis skips the granules with no listed
// bucket. On the bench's month (business hours INSIDE, America/New_York): leg_phase_bins read 410,005 rows instead of
// 1,032,597 and the sum of its bins took 11-36 ms instead of 88-164 ms (same rows, a loaded machine).
//
// Exact where business-hours-starts.ts's ranges are (openings on quarter hours, a zone with quarter-hour offsets over
// the range, a range on whole UTC quarter hours): every quarter hour judged by its first instant with its rule
// (insideAt). The shorter of the two lists is sent: the wanted side's quarter hours with IN, or the other side's with
// NOT IN (the condition is always ANDed with the range on bucket, so both read the same rows).
import { IANAZone } from 'luxon';
import { type BusinessHoursFilter, opensOnQuarterHours } from './business-hours-sql.js';
import { insideAt } from './business-hours-starts.js';
import { hasQuarterHourOffsets, offsetChanges, onWholeUtcQuarters, type TimeRange } from './time-range.js';

const QUARTER_MS = 900_000;

/**
 * Beyond this many quarter hours in the shorter list the per-bucket condition is sent instead: the list is in the
 * query text once per table read (four times in durationStats: ~11 characters each, well under ClickHouse's 256 KiB
 * max_query_size), and a month with its previous one (the KPIs) has ~1,400 open quarter hours of a 40-hour week.
 */
export const MAX_LISTED_QUARTERS = 2000;

/** The quarter hours (UTC seconds of their starts) to list, and whether the rows are IN or NOT IN them. */
export interface QuarterList {
  listed: number[];
  negated: boolean;
}

/** The shorter list of the range's quarter hours that selects the filter's side, or undefined when not exact or too long. */
export function businessHoursQuarters(range: TimeRange, filter: BusinessHoursFilter): QuarterList | undefined {
  const { hours } = filter;
  if (!onWholeUtcQuarters(range) || !opensOnQuarterHours(hours) || !hasQuarterHourOffsets(range, hours.timeZone)) return undefined;
  const zone = IANAZone.create(hours.timeZone);
  if (!zone.isValid) return undefined;
  const holidays = new Set(hours.holidays.map((date) => Number(date.replaceAll('-', ''))).filter(Number.isInteger));
  const offsets = offsetChanges(zone, range.fromMs, range.toMs);
  const inside: number[] = [];
  const outside: number[] = [];
  for (let at = range.fromMs; at < range.toMs; at += QUARTER_MS) {
    (insideAt(hours, holidays, offsets, at) ? inside : outside).push(at / 1000);
  }
  const [wanted, other] = filter.mode === 'INSIDE' ? [inside, outside] : [outside, inside];
  const list = wanted.length <= other.length ? { listed: wanted, negated: false } : { listed: other, negated: true };
  return list.listed.length > MAX_LISTED_QUARTERS ? undefined : list;
}

/** The list as a condition on a DateTime bucket column; an empty IN list matches nothing, an empty NOT IN everything. */
export function quarterListCondition(list: QuarterList, column = 'bucket'): string {
  if (list.listed.length === 0) return list.negated ? '1' : '0';
  return `toUInt32(${column}) ${list.negated ? 'NOT IN' : 'IN'} (${list.listed.join(', ')})`;
}
