// Whether a report can be answered exactly from the time-ordered sums of migration 0011 (leg_quarter_hours,
// leg_phase_bins / leg_phase_values, extension_days) instead of the legs: decided on plain data, before any query.
import { nonCallResults } from '@callpulse/contracts';
import { opensOnQuarterHours } from './business-hours-sql.js';
import type { LegFilter } from './leg-filter.js';
import { hasQuarterHourOffsets, onWholeUtcQuarters, type TimeRange } from './time-range.js';

/**
 * quarters: leg_quarter_hours (the KPIs, callStats' sums by hour, day, result or direction, density, heatmap);
 * phases: leg_phase_bins and leg_phase_values (durationStats); days: extension_days plus the legs of the range's
 * partial UTC days (the agent leaderboard).
 */
export type BucketTable = 'quarters' | 'phases' | 'days';

/** The filter fields each table has a column (or a bucket-level condition) for. */
const answerable: Record<BucketTable, ReadonlyArray<keyof LegFilter>> = {
  quarters: ['direction', 'results', 'excludeResults', 'answered', 'endedBy', 'weekdays', 'hours', 'businessHours'],
  phases: ['excludeResults', 'weekdays', 'hours', 'businessHours'],
  days: ['extensionIds', 'excludeResults'],
};

const DAY_MS = 86_400_000;

/** Left out results the tables' non_call flag stands for: none, or exactly contracts' nonCallResults. */
export function leavesOutNonCalls(excludeResults: readonly string[] | null | undefined): boolean | undefined {
  if (excludeResults == null || excludeResults.length === 0) return false;
  const set = new Set(excludeResults);
  if (set.size === nonCallResults.length && nonCallResults.every((result) => set.has(result))) return true;
  return undefined; // another set: the flag cannot answer it
}

/** The whole UTC days inside the range (extension_days' rows), or undefined when there is none. */
export function wholeUtcDays(range: TimeRange): { fromMs: number; toMs: number } | undefined {
  const fromMs = Math.ceil(range.fromMs / DAY_MS) * DAY_MS;
  const toMs = Math.floor(range.toMs / DAY_MS) * DAY_MS;
  return fromMs < toMs ? { fromMs, toMs } : undefined;
}

/**
 * True when the table holds the exact answer: only filter fields it can answer; for the bucketed tables a range on
 * whole UTC quarter hours in a zone whose offsets are whole quarter hours over the range (so every local hour, day and
 * weekday is made of whole buckets), and business hours opening and closing on quarter hours in such a zone; for the
 * phase tables, results left out only as nonCallResults (their non_call flag) and a range over two days; for extension_days, at least one whole
 * UTC day inside the range (the partial days at both ends are read from the legs).
 */
export function bucketsAnswer(table: BucketTable, range: TimeRange, filter: LegFilter): boolean {
  const allowed = answerable[table];
  for (const [name, value] of Object.entries(filter)) {
    if (value != null && !allowed.includes(name as keyof LegFilter)) return false;
  }
  if (table !== 'quarters') {
    if (filter.results != null || leavesOutNonCalls(filter.excludeResults) === undefined) return false;
  }
  if (table === 'days') return wholeUtcDays(range) !== undefined;
  // A day or two of legs sorts its durations faster (30-50 ms) than the histogram's one query.
  if (table === 'phases' && range.toMs - range.fromMs <= 2 * DAY_MS) return false;
  if (!onWholeUtcQuarters(range) || !hasQuarterHourOffsets(range)) return false;
  const hours = filter.businessHours?.hours;
  if (hours && !(opensOnQuarterHours(hours) && hasQuarterHourOffsets(range, hours.timeZone))) return false;
  return true;
}
