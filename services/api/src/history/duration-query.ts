// durationStats(filter): count, total, mean, median, 90th percentile and maximum of ring, talk and hold over the
// report's legs that had that phase (> 0 ms), in one query. The percentiles are quantileExact: the duration at rank
// floor(q x count) (counting from 0) of the sorted durations, never interpolated or sampled, so ClickHouse 18.16 and
// current releases give the same value (tools/chdb-compat checks it); for an even count the median is the upper of
// the two middle values. The legs of a phase drill down to `calls` with minRingMs (minTalkMs, minHoldMs): 1.
// When the histogram of migration 0011 can answer (bucket-source.ts), two small queries replace the sort of every
// duration of the range: the bins' counts and sums (and the legs from leg_quarter_hours), then the exact values of
// the bins that hold the p50, the p90 and the maximum (duration-histogram.ts picks them and reads the ranks).
import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import { bucketsAnswer } from './bucket-source.js';
import { bucketConditions } from './bucket-sql.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type BinCount, binsToRead, histogramFigures, phaseNumbers, type ValueCount } from './duration-histogram.js';
import { type LegFilter, latestLegClauses, rangeTable } from './leg-filter.js';
import { type Phase, phases } from './stats-types.js';
import type { TimeRange } from './time-range.js';

export interface PhaseFigures {
  count: number;
  totalMs: number;
  averageMs: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
}

export interface DurationFigures {
  calls: number;
  ring: PhaseFigures;
  talk: PhaseFigures;
  hold: PhaseFigures;
}

export function durationSql(database: string, range: TimeRange, filter: LegFilter): Sql {
  const columns = Object.entries(phases).flatMap(([name, column]) => [
    `countIf(${column} > 0) AS ${name}_count`,
    `sum(${column}) AS ${name}_total`,
    `max(${column}) AS ${name}_max`,
    // Both quantiles from one state (one sort of the durations instead of two).
    `if(${name}_count = 0, [toUInt64(0), toUInt64(0)], quantilesExactIf(0.5, 0.9)(${column}, ${column} > 0)) AS ${name}_q`,
  ]);
  // Straight from the table with the dedupe's clauses, not from a SELECT * subquery: ClickHouse 18.16 read every column
  // of the range for the subquery (a day on 10M legs: 0.24 -> 0.07 s in SQL).
  return new Sql(
    `SELECT count() AS calls, ${columns.join(', ')} FROM ${rangeTable(database, filter)} ${latestLegClauses(database, range, filter).text}`,
  );
}

/**
 * The phases' bins over the range (phase 0: the legs of the range, from leg_quarter_hours, whose result column answers
 * the left-out results too) in one query.
 */
export function durationBinsSql(database: string, range: TimeRange, filter: LegFilter): Sql {
  return new Sql(
    `SELECT toUInt8(0) AS phase, toUInt32(0) AS bin, sum(sum_legs) AS legs, toInt64(0) AS ms FROM ${ident(tableNames.legQuarterHours, database).text} ` +
      `WHERE ${bucketConditions(range, filter, true)} UNION ALL ` +
      `SELECT phase, bin, sum(sum_legs) AS legs, sum(sum_ms) AS ms FROM ${ident(tableNames.legPhaseBins, database).text} ` +
      `WHERE ${bucketConditions(range, filter, false)} GROUP BY phase, bin HAVING legs != 0`,
  );
}

/** The exact values, with their legs, of the given (phase, bin) pairs over the range. */
export function durationValuesSql(
  database: string,
  range: TimeRange,
  filter: LegFilter,
  bins: ReadonlyArray<{ phase: number; bin: number }>,
): Sql {
  const which = bins.map(({ phase, bin }) => sql`(phase = ${phase} AND bin = ${bin})`.text).join(' OR ');
  return new Sql(
    `SELECT phase, bin, phase_ms AS value, sum(sum_legs) AS legs FROM ${ident(tableNames.legPhaseValues, database).text} ` +
      `WHERE (${which}) AND ${bucketConditions(range, filter, false)} GROUP BY phase, bin, value HAVING legs != 0`,
  );
}

type Numbers = Record<string, number | string>;
const asNumbers = <T>(rows: Numbers[]): T[] =>
  rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, Number(value)])) as T);

async function histogramDurations(runner: QueryRunner, database: string, range: TimeRange, filter: LegFilter): Promise<DurationFigures> {
  const binRows = asNumbers<BinCount>(await runner.rows<Numbers>('duration_bins', durationBinsSql(database, range, filter)));
  const wanted = binsToRead(binRows);
  const values =
    wanted.length === 0
      ? []
      : asNumbers<ValueCount>(await runner.rows<Numbers>('duration_values', durationValuesSql(database, range, filter, wanted)));
  const phase = (name: Phase): PhaseFigures => {
    const figures = histogramFigures(phaseNumbers[name], binRows, values);
    return {
      count: figures.count,
      totalMs: figures.totalMs,
      averageMs: figures.count === 0 ? 0 : Math.round(figures.totalMs / figures.count),
      p50Ms: figures.quantiles[0] ?? 0,
      p90Ms: figures.quantiles[1] ?? 0,
      maxMs: figures.maxMs,
    };
  };
  const calls = binRows.filter((row) => row.phase === 0).reduce((sum, row) => sum + row.legs, 0);
  return { calls, ring: phase('ring'), talk: phase('talk'), hold: phase('hold') };
}

export async function queryDurations(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
  /** Whether the histogram answers (bucket-source.ts); tests compare both forms. */
  fromBuckets = bucketsAnswer('phases', range, filter),
): Promise<DurationFigures> {
  if (fromBuckets) return histogramDurations(runner, database, range, filter);
  const [row] = await runner.rows<Record<string, number | string | Array<number | string>>>(
    'duration_stats',
    durationSql(database, range, filter),
  );
  const n = (name: string) => Number(row?.[name] ?? 0);
  const quantile = (name: string, index: number) => {
    const values = row?.[name];
    return Array.isArray(values) ? Number(values[index] ?? 0) : 0;
  };
  const phase = (name: Phase): PhaseFigures => {
    const count = n(`${name}_count`);
    const totalMs = n(`${name}_total`);
    return {
      count,
      totalMs,
      averageMs: count === 0 ? 0 : Math.round(totalMs / count),
      p50Ms: quantile(`${name}_q`, 0),
      p90Ms: quantile(`${name}_q`, 1),
      maxMs: n(`${name}_max`),
    };
  };
  return { calls: n('calls'), ring: phase('ring'), talk: phase('talk'), hold: phase('hold') };
}
