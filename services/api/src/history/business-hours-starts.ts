// Business hours as ranges of start times, on plain data: the UTC quarter hours of a range that are inside (or outside)
// an account's business hours, merged into [from, to) ranges of seconds. A condition on start_time (or a bucket) with
// these constants replaces business-hours-sql.ts's per-row conversion of every start to the zone, and lets a table
// ordered by time (legs_by_start, leg_phase_bins) read only the granules of the open hours: on the bench's month,
// 27 ranges, ~1 million legs read instead of 3.4 million.
//
// Exact only where every start of a UTC quarter hour is on the same side, as for the quarter-hour tables of migration
// 0011 (bucket-source.ts): openings and closings on quarter hours, and a zone whose offsets are whole quarter hours
// changing on UTC quarter hours over the range. Each quarter hour is then judged by its first instant with the rule of
// insideBusinessHours (local ISO weekday, time of day from 00:00 included to 24:00 excluded, local date not a holiday).
import { type BusinessHours, minutesOfDay, weekdayNames } from '@callpulse/contracts';
import { IANAZone } from 'luxon';
import { type BusinessHoursFilter, opensOnQuarterHours } from './business-hours-sql.js';
import { hasQuarterHourOffsets, type OffsetChange, offsetAt, offsetChanges, type TimeRange } from './time-range.js';

const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

/**
 * Beyond this many ranges the per-row condition is cheaper: ClickHouse evaluates every range on every row read (an
 * 8-month range of daily hours, ~275 ranges: 18 s for the durations' histogram on the bench's data), so the ranges pay
 * only for a month or so (the bench's month: 27 ranges, the leaderboard about twice as fast).
 */
export const MAX_START_RANGES = 48;

/** Whether a UTC quarter hour's starts are inside the business hours, judged by its first instant (offsets: the zone's over the range). */
export function insideAt(hours: BusinessHours, holidays: ReadonlySet<number>, offsets: readonly OffsetChange[], atMs: number): boolean {
  const localMs = atMs + offsetAt(offsets, atMs) * 60_000;
  const local = new Date(localMs); // the wall clock, read with the UTC getters
  const date = local.getUTCFullYear() * 10000 + (local.getUTCMonth() + 1) * 100 + local.getUTCDate();
  if (holidays.has(date)) return false;
  const day = weekdayNames[(local.getUTCDay() + 6) % 7] as (typeof weekdayNames)[number];
  const msOfDay = localMs - Math.floor(localMs / DAY_MS) * DAY_MS;
  return hours.week[day].some((interval) => {
    const from = (minutesOfDay(interval.from) ?? 0) * 60_000;
    const to = (minutesOfDay(interval.to) ?? 0) * 60_000;
    return msOfDay >= from && msOfDay < to;
  });
}

/**
 * The start ranges ([fromSeconds, toSeconds), UTC, ascending, on whole quarter hours) of the range's quarter hours on
 * the filter's side of the business hours, or undefined when they would not be exact (see above) or too many.
 */
export function businessHoursStartRanges(range: TimeRange, filter: BusinessHoursFilter): Array<[number, number]> | undefined {
  const { hours } = filter;
  if (!opensOnQuarterHours(hours) || !hasQuarterHourOffsets(range, hours.timeZone)) return undefined;
  const zone = IANAZone.create(hours.timeZone);
  if (!zone.isValid) return undefined;
  const holidays = new Set(hours.holidays.map((date) => Number(date.replaceAll('-', ''))).filter(Number.isInteger));
  const wanted = filter.mode === 'INSIDE';
  const offsets = offsetChanges(zone, range.fromMs, range.toMs);
  const ranges: Array<[number, number]> = [];
  for (let at = Math.floor(range.fromMs / QUARTER_MS) * QUARTER_MS; at < range.toMs; at += QUARTER_MS) {
    // Judged at its first instant inside the range (the offsets are checked over the range only).
    if (insideAt(hours, holidays, offsets, Math.max(at, range.fromMs)) !== wanted) continue;
    const last = ranges.at(-1);
    if (last && last[1] === at / 1000) last[1] = (at + QUARTER_MS) / 1000;
    else ranges.push([at / 1000, (at + QUARTER_MS) / 1000]);
    if (ranges.length > MAX_START_RANGES) return undefined;
  }
  return ranges;
}

/** The ranges as a condition on a DateTime column; none: nothing matches. */
export function startRangesCondition(ranges: ReadonlyArray<readonly [number, number]>, column: string): string {
  if (ranges.length === 0) return '0';
  return `(${ranges.map(([from, to]) => `(${column} >= toDateTime(${from}) AND ${column} < toDateTime(${to}))`).join(' OR ')})`;
}
