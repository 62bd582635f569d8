// callVolume(filter, interval): the report's legs per local hour or day of the range, stacked by result: callStats
// grouped by HOUR or DAY with only its counts by result (so extension_hourly answers when it can, stats-source.ts),
// and every bucket of the range present, empty ones with zeros. Each bucket carries the part of the range it covers
// (from, to: its start and end cut to the range), so it drills down to `calls` with the filter's from and to replaced
// by them (and result [R] for one colour of the stack).
import { legResults } from '@callpulse/contracts';
import { DateTime } from 'luxon';
import type { QueryRunner } from './clickhouse-runner.js';
import type { LegFilter } from './leg-filter.js';
import { queryCallStats } from './stats-query.js';
import type { StatsGroup } from './stats-types.js';
import { isoInstant, isoInZone, type TimeRange } from './time-range.js';

export type VolumeInterval = 'HOUR' | 'DAY';

export interface VolumeBucket {
  /** The hour's start with its offset (2026-03-02T14:00:00.000+01:00) or the day (2026-03-02), as callStats keys them. */
  key: string;
  from: string;
  to: string;
  calls: number;
  byResult: StatsGroup['byResult'];
}

/** The buckets of the range in its zone: [start, end) of each local hour or day that overlaps it. */
export function volumeBuckets(range: TimeRange, interval: VolumeInterval): Array<{ key: string; startMs: number; endMs: number }> {
  const unit = interval === 'HOUR' ? 'hour' : 'day';
  const buckets: Array<{ key: string; startMs: number; endMs: number }> = [];
  let start = DateTime.fromMillis(range.fromMs, { zone: range.timeZone }).startOf(unit);
  while (start.toMillis() < range.toMs) {
    // An hour is 3,600,000 ms wherever it is; a day is a calendar day (23 or 25 hours when the clocks change).
    const end = interval === 'HOUR' ? start.plus({ milliseconds: 3_600_000 }) : start.plus({ days: 1 }).startOf('day');
    const startMs = start.toMillis();
    buckets.push({
      key: interval === 'HOUR' ? isoInZone(startMs, range.timeZone) : (start.toISODate() ?? ''),
      startMs,
      endMs: end.toMillis(),
    });
    start = end;
  }
  return buckets;
}

export async function queryVolume(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  interval: VolumeInterval,
  filter: LegFilter,
): Promise<VolumeBucket[]> {
  const groups = await queryCallStats(runner, database, range, interval, filter, { byResult: true, maxima: false, percentiles: false });
  const buckets = volumeBuckets(range, interval).map(({ key, startMs, endMs }) => ({
    key,
    startMs,
    endMs,
    from: isoInstant(Math.max(startMs, range.fromMs)),
    to: isoInstant(Math.min(endMs, range.toMs)),
    calls: 0,
    byResult: [] as StatsGroup['byResult'],
  }));
  const byStart = new Map(buckets.map((bucket) => [bucket.startMs, bucket]));
  for (const group of groups) {
    // ClickHouse's hour or day of the group; its start is the bucket's except where a zone's calendar differs (a day
    // beginning at 01:00 when the clocks change at midnight), so it goes to the bucket that holds its start.
    const startMs = group.start === null ? Number.NaN : Date.parse(group.start);
    const bucket = byStart.get(startMs) ?? [...buckets].reverse().find((candidate) => candidate.startMs <= startMs) ?? buckets[0];
    if (!bucket) continue;
    bucket.calls += group.calls;
    bucket.byResult = addCounts(bucket.byResult, group.byResult);
  }
  return buckets.map(({ key, from, to, calls, byResult }) => ({ key, from, to, calls, byResult }));
}

function addCounts(a: StatsGroup['byResult'], b: StatsGroup['byResult']): StatsGroup['byResult'] {
  if (a.length === 0) return b;
  const counts = new Map(a.map((entry) => [entry.result, entry.count]));
  for (const entry of b) counts.set(entry.result, (counts.get(entry.result) ?? 0) + entry.count);
  return legResults.filter((result) => counts.has(result)).map((result) => ({ result, count: counts.get(result) ?? 0 }));
}
