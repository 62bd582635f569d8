// callStats(from, to, groupBy, timeZone): counts by result and direction and ring/talk/hold figures, grouped by
// extension, hour, day, result, direction or queue. Hours and days are the caller's (toStartOfHour / toDate with the
// zone), so half-hour zones are right. Averages and percentiles are over the legs that had that phase (e.g. talk > 0).
// Only the figures the query selects are computed; extension_hourly answers when it can (stats-source.ts), the
// legs otherwise, with the same figures either way.
import { type LegResult, legResults } from '@callpulse/contracts';
import type { QueryRunner } from './clickhouse-runner.js';
import type { LegFilter } from './leg-filter.js';
import { statsSource } from './stats-source.js';
import { hourlyStatsSql, type Phase, phases, statsSql } from './stats-sql.js';
import { isoInstant, isoInZone, type TimeRange } from './time-range.js';

export const statsGroupings = ['EXTENSION', 'HOUR', 'DAY', 'RESULT', 'DIRECTION', 'QUEUE'] as const;
export type StatsGrouping = (typeof statsGroupings)[number];

export interface DurationStats {
  count: number;
  totalMs: number;
  averageMs: number;
  maxMs: number;
  p90Ms: number;
}

export interface StatsGroup {
  key: string;
  label: string | null;
  start: string | null;
  calls: number;
  inbound: number;
  outbound: number;
  byResult: Array<{ result: LegResult; count: number }>;
  ring: DurationStats;
  talk: DurationStats;
  hold: DurationStats;
}

/** Which of the costlier figures the query selects; counts, sums and averages are always there. */
export interface StatsFigures {
  byResult: boolean;
  maxima: boolean;
  percentiles: boolean;
}

export const allFigures: StatsFigures = { byResult: true, maxima: true, percentiles: true };

/** The figures a GraphQL selection asks for, from its field paths ("byResult", "ring.maxMs", ...). */
export function statsFigures(selected: ReadonlySet<string>): StatsFigures {
  const names = Object.keys(phases);
  return {
    byResult: selected.has('byResult'),
    maxima: names.some((name) => selected.has(`${name}.maxMs`)),
    percentiles: names.some((name) => selected.has(`${name}.p90Ms`)),
  };
}

type StatsRow = Record<string, number | string>;

const num = (value: number | string | undefined): number => {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
};

function toGroup(row: StatsRow, groupBy: StatsGrouping, timeZone: string): StatsGroup {
  const startSeconds = num(row.group_start);
  const timed = groupBy === 'HOUR' || groupBy === 'DAY';
  const duration = (name: Phase): DurationStats => {
    const count = num(row[`${name}_count`]);
    const totalMs = num(row[`${name}_total`]);
    return {
      count,
      totalMs,
      averageMs: count === 0 ? 0 : Math.round(totalMs / count),
      maxMs: num(row[`${name}_max`]),
      p90Ms: num(row[`${name}_p90`]),
    };
  };
  return {
    key: groupBy === 'HOUR' ? isoInZone(startSeconds * 1000, timeZone) : String(row.group_key),
    label: groupBy === 'QUEUE' ? String(row.group_label ?? '') || null : null,
    start: timed ? isoInstant(startSeconds * 1000) : null,
    calls: num(row.calls),
    inbound: num(row.inbound),
    outbound: num(row.outbound),
    byResult: legResults.map((result, i) => ({ result, count: num(row[`r${i}`]) })).filter((entry) => entry.count > 0),
    ring: duration('ring'),
    talk: duration('talk'),
    hold: duration('hold'),
  };
}

export async function queryCallStats(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  groupBy: StatsGrouping,
  filter: LegFilter,
  figures: StatsFigures = allFigures,
  source = statsSource(range, groupBy, filter, figures),
): Promise<StatsGroup[]> {
  const rows =
    source === 'hourly'
      ? await runner.rows<StatsRow>('call_stats_hourly', hourlyStatsSql(database, range, groupBy, filter, figures))
      : await runner.rows<StatsRow>('call_stats', statsSql(database, range, groupBy, filter, figures));
  return rows.map((row) => toGroup(row, groupBy, range.timeZone));
}
