// durationStats(filter): count, total, mean, median, 90th percentile and maximum of ring, talk and hold over the
// report's legs that had that phase (> 0 ms), in one query. The percentiles are quantileExact: the duration at rank
// floor(q x count) (counting from 0) of the sorted durations, never interpolated or sampled, so ClickHouse 18.16 and
// current releases give the same value (tools/chdb-compat checks it); for an even count the median is the upper of
// the two middle values. The legs of a phase drill down to `calls` with minRingMs (minTalkMs, minHoldMs): 1.
// When the histogram of migration 0011 can answer (bucket-source.ts), two queries over it replace the sort of every
// duration of the range: the bins' counts and sums, then the exact values of only the bins that hold the p50, the p90
// and the maximum (duration-histogram.ts picks those bins and reads the ranks from them).
import { tableNames } from '@callpulse/contracts';
import { ident, Sql } from '@callpulse/platform';
import { bucketsAnswer, leavesOutNonCalls, wholeUtcDays } from './bucket-source.js';
import { bucketConditions, bucketRange } from './bucket-sql.js';
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

/** One table pair of the histogram (bins and values) and the condition of its rows. */
type HistogramPart = { bins: string; values: string; where: string };

/** Where the histogram's rows of a range are: the day tables for its whole UTC days, the quarter-hour ones around. */
function histogramParts(database: string, range: TimeRange, filter: LegFilter): HistogramPart[] {
  const quarters = (part: TimeRange) => ({
    bins: ident(tableNames.legPhaseBins, database).text,
    values: ident(tableNames.legPhaseValues, database).text,
    where: bucketConditions(part, filter, false),
  });
  const days = wholeUtcDays(range);
  const byQuarter = filter.weekdays != null || filter.hours != null || filter.businessHours != null;
  if (byQuarter || !days) return [quarters(range)];
  const nonCall = leavesOutNonCalls(filter.excludeResults) ? ' AND non_call = 0' : '';
  // Both partial days in one part (one look-up of the wanted bins fewer): quarter hours before and after the days.
  const edges = [
    [range.fromMs, days.fromMs],
    [days.toMs, range.toMs],
  ].filter(([from, to]) => (from as number) < (to as number));
  return [
    {
      bins: ident(tableNames.legPhaseDayBins, database).text,
      values: ident(tableNames.legPhaseDayValues, database).text,
      where: `${bucketRange(days.fromMs, days.toMs, 'day')}${nonCall}`,
    },
    ...(edges.length === 0
      ? []
      : [
          {
            ...quarters(range),
            where: `(${edges.map(([from, to]) => `(${bucketRange(from as number, to as number)})`).join(' OR ')})${nonCall}`,
          },
        ]),
  ];
}

/**
 * The histogram's first query, two kinds of rows: kind 0, the legs of the range (from leg_quarter_hours, whose result
 * column answers the left-out results too); kind 1, each phase's bins with their legs and ms. The whole UTC days of a
 * range come from the day tables when no filter needs quarter hours (a month: ~5,000 bin rows instead of ~470,000).
 */
export function durationBinsSql(
  database: string,
  range: TimeRange,
  filter: LegFilter,
  parts: readonly HistogramPart[] = histogramParts(database, range, filter),
): Sql {
  const binRows = parts.map((part) => `SELECT phase, bin, sum_legs, sum_ms FROM ${part.bins} WHERE ${part.where}`).join(' UNION ALL ');
  // Ordered, so both ClickHouse generations send the same rows in the same order (tools/chdb-compat).
  return new Sql(
    `SELECT kind, phase, bin, legs, ms FROM (SELECT toUInt8(0) AS kind, toUInt8(0) AS phase, toUInt32(0) AS bin, sum(sum_legs) AS legs, toInt64(0) AS ms ` +
      `FROM ${ident(tableNames.legQuarterHours, database).text} WHERE ${bucketConditions(range, filter, true)} ` +
      `UNION ALL SELECT toUInt8(1) AS kind, phase, bin, sum(sum_legs) AS legs, sum(sum_ms) AS ms FROM (${binRows}) GROUP BY phase, bin HAVING legs != 0) ` +
      'ORDER BY kind, phase, bin',
  );
}

/**
 * The histogram's second query: the legs of each exact value of the bins that hold a percentile's rank or the maximum
 * (binsToRead: at most three a phase, picked from the first query's bins), as a literal list, so that the tables'
 * keys (phase, non_call, bin, ...) read those bins alone. One query with the bins picked in a subquery instead ran
 * the subquery once per table and read its set without the key: a month 125-145 ms against ~25 for this one.
 */
export function durationValuesSql(
  database: string,
  range: TimeRange,
  filter: LegFilter,
  bins: ReadonlyArray<{ phase: number; bin: number }>,
  parts: readonly HistogramPart[] = histogramParts(database, range, filter),
): Sql {
  const wanted = bins.map(({ phase, bin }) => `(${Math.trunc(phase)}, ${Math.trunc(bin)})`).join(', ');
  const valueRows = parts
    .map((part) => `SELECT phase, bin, phase_ms, sum_legs FROM ${part.values} WHERE (phase, bin) IN (${wanted}) AND ${part.where}`)
    .join(' UNION ALL ');
  return new Sql(
    `SELECT phase, bin, sum(sum_legs) AS legs, phase_ms AS value FROM (${valueRows}) GROUP BY phase, bin, value HAVING legs != 0 ` +
      'ORDER BY phase, bin, value',
  );
}

type Row = Record<string, number | string>;

/** durationStats from the histogram: its bins, then the exact values of the few bins the figures fall in. */
async function histogramDurations(runner: QueryRunner, database: string, range: TimeRange, filter: LegFilter): Promise<DurationFigures> {
  // The parts once for both queries (a business-hours filter lists the range's quarter hours in them).
  const parts = histogramParts(database, range, filter);
  // Field by field (ClickHouse sends 64-bit numbers as strings): a month's ~9,000 value rows in about 1 ms.
  const rows = (await runner.rows<Row>('duration_bins', durationBinsSql(database, range, filter, parts))).map((row) => ({
    kind: Number(row.kind),
    phase: Number(row.phase),
    bin: Number(row.bin),
    legs: Number(row.legs),
    ms: Number(row.ms),
  }));
  const bins: BinCount[] = rows.filter((row) => row.kind === 1);
  const wanted = binsToRead(bins);
  const values: ValueCount[] =
    wanted.length === 0
      ? []
      : (await runner.rows<Row>('duration_values', durationValuesSql(database, range, filter, wanted, parts))).map((row) => ({
          phase: Number(row.phase),
          bin: Number(row.bin),
          value: Number(row.value),
          legs: Number(row.legs),
        }));
  const phase = (name: Phase): PhaseFigures => {
    const figures = histogramFigures(phaseNumbers[name], bins, values);
    return {
      count: figures.count,
      totalMs: figures.totalMs,
      averageMs: figures.count === 0 ? 0 : Math.round(figures.totalMs / figures.count),
      p50Ms: figures.quantiles[0] ?? 0,
      p90Ms: figures.quantiles[1] ?? 0,
      maxMs: figures.maxMs,
    };
  };
  const calls = rows.filter((row) => row.kind === 0).reduce((sum, row) => sum + row.legs, 0);
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
