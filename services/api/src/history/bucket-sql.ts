// The WHERE clause over the time-bucketed sums of migration 0011, for what bucket-source.ts lets them answer: the range
// on `bucket` (a UTC quarter hour or day), and each filter field on its column or on the bucket's own start (local
// weekday and hour, business hours): every start of a quarter hour gives the same answer as its first instant there.
// Business hours go as a list of the range's quarter hours where it is exact and short (business-hours-quarters.ts).
import { escapeString, type Sql, sql } from '@callpulse/platform';
import { leavesOutNonCalls } from './bucket-source.js';
import { businessHoursQuarters, quarterListCondition } from './business-hours-quarters.js';
import { type BusinessHoursFilter, businessHoursCondition } from './business-hours-sql.js';
import { inList, type LegFilter, notInList, numberList } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

/** A bucket's start, for conditions on a start (its milliseconds beyond the second are 0). */
export const bucketStart = { time: 'bucket', milliseconds: '0' };

/** The range on the bucket column: [from, to), both on whole buckets. */
export function bucketRange(fromMs: number, toMs: number, column = 'bucket'): string {
  return `${column} >= ${sql`toDateTime(${fromMs / 1000})`.text} AND ${column} < ${sql`toDateTime(${toMs / 1000})`.text}`;
}

/** The business-hours condition on the buckets of a range: their list when there is one, else per bucket. */
function businessHoursBuckets(range: TimeRange, filter: BusinessHoursFilter | null | undefined): string | Sql | undefined {
  if (filter == null) return undefined;
  const list = businessHoursQuarters(range, filter);
  return list === undefined ? businessHoursCondition(filter, bucketStart) : quarterListCondition(list);
}

/**
 * The conditions of leg_quarter_hours (with result, direction, answered, ended_by columns) or of the tables with a
 * non_call flag instead (withResults false), joined with AND.
 */
export function bucketConditions(range: TimeRange, filter: LegFilter, withResults: boolean): string {
  const zone = escapeString(range.timeZone);
  const parts: Array<Sql | string | undefined> = [
    bucketRange(range.fromMs, range.toMs),
    ...(withResults
      ? [
          filter.direction == null ? undefined : sql`direction = ${filter.direction}`,
          inList('result', filter.results),
          notInList('result', filter.excludeResults),
          filter.answered == null ? undefined : `was_answered = ${filter.answered ? 1 : 0}`,
          inList('ended_by', filter.endedBy),
        ]
      : [leavesOutNonCalls(filter.excludeResults) ? 'non_call = 0' : undefined]),
    numberList(`toDayOfWeek(toDate(bucket, ${zone}))`, filter.weekdays),
    numberList(`toHour(bucket, ${zone})`, filter.hours),
    businessHoursBuckets(range, filter.businessHours),
  ];
  return parts
    .filter((part) => part !== undefined)
    .map((part) => (typeof part === 'string' ? part : part.text))
    .join(' AND ');
}
