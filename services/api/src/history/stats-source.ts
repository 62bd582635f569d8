// Which table answers a callStats request. extension_hourly (sums per extension, UTC hour, direction and result) is
// read when it holds the answer exactly; everything else is computed from the legs themselves.
import { bucketsAnswer } from './bucket-source.js';
import type { LegFilter } from './leg-filter.js';
import type { StatsFigures, StatsGrouping } from './stats-types.js';
import { hasWholeHourOffsets, onWholeUtcHours, type TimeRange } from './time-range.js';

export type StatsSource = 'quarters' | 'hourly' | 'legs';

/**
 * A week (and the hour a week gains when the clocks go back) or less is read from its legs: legs_by_start (migration
 * 0010) holds them in start order, so its legs alone are read, while extension_hourly (ordered by extension) is read
 * for its whole months. On the bench's 10M legs a day's calls per hour took 0.45 s from the legs and 0.9-1.0 s from the
 * hourly table; a month by extension is still twice as fast from the hourly table.
 */
const SHORT_RANGE_MS = 7 * 86_400_000 + 3_600_000;

/** Groupings leg_quarter_hours has the key of: a local hour or day is whole quarter hours, result and direction are columns. */
const quarterGroupings: ReadonlyArray<StatsGrouping> = ['HOUR', 'DAY', 'RESULT', 'DIRECTION'];

/**
 * 'quarters' (leg_quarter_hours, migration 0011, ordered by time) for counts and sums grouped by hour, day, result or
 * direction whenever bucket-source.ts says it holds the answer: a month's calls per day from ~100,000 rows instead of
 * 3.4 million legs. Otherwise 'hourly' when every group is a sum of whole (extension, UTC hour, direction, result) cells and every figure asked
 * for is a count or a sum: no maximum or percentile, no grouping by queue, no filter but extensions (and left-out
 * results), a range longer than a week on whole UTC hours and, for hours and days, a zone whose local hours are UTC
 * hours over the whole range.
 */
export function statsSource(range: TimeRange, groupBy: StatsGrouping, filter: LegFilter, figures: StatsFigures): StatsSource {
  if (figures.maxima || figures.percentiles) return 'legs';
  if (quarterGroupings.includes(groupBy) && bucketsAnswer('quarters', range, filter)) return 'quarters';
  if (range.toMs - range.fromMs <= SHORT_RANGE_MS) return 'legs';
  if (groupBy === 'QUEUE') return 'legs';
  const { extensionIds: _extensionIds, excludeResults: _excludeResults, ...others } = filter; // both are columns of the table
  if (Object.values(others).some((value) => value != null)) return 'legs';
  if (!onWholeUtcHours(range)) return 'legs';
  if ((groupBy === 'HOUR' || groupBy === 'DAY') && !hasWholeHourOffsets(range)) return 'legs';
  return 'hourly';
}
