// callStats(from, to, groupBy, timeZone): counts by result and direction and ring/talk/hold figures, grouped by
// extension, hour, day, result, direction or queue. Hours and days are the caller's (toStartOfHour / toDate with the
// zone), so half-hour zones are right. Averages and percentiles are over the legs that had that phase (e.g. talk > 0).
import { escapeString, type LegResult, legResults, Sql } from '@callpulse/shared';
import type { QueryRunner } from './clickhouse-runner.js';
import { type LegFilter, latestLegsInRange, legConditions } from './leg-filter.js';
import { isoInZone, type TimeRange } from './time-range.js';

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

const phases = { ring: 'ring_ms', talk: 'talk_ms', hold: 'hold_ms' } as const;

function groupKey(groupBy: StatsGrouping, zone: string): { key: string; start: string; label: string } {
  switch (groupBy) {
    case 'EXTENSION':
      return { key: 'extension_id', start: '0', label: "''" };
    case 'HOUR':
      return {
        key: `toString(toUnixTimestamp(toStartOfHour(start_time, ${zone})))`,
        start: `toUnixTimestamp(toStartOfHour(start_time, ${zone}))`,
        label: "''",
      };
    case 'DAY':
      return { key: `toString(toDate(start_time, ${zone}))`, start: `toUnixTimestamp(toStartOfDay(start_time, ${zone}))`, label: "''" };
    case 'RESULT':
      return { key: 'result', start: '0', label: "''" };
    case 'DIRECTION':
      return { key: 'direction', start: '0', label: "''" };
    case 'QUEUE':
      return { key: 'queue_id', start: '0', label: 'argMax(queue_name, start_ms)' };
  }
}

export function statsSql(database: string, range: TimeRange, groupBy: StatsGrouping, filter: LegFilter): Sql {
  const zone = escapeString(range.timeZone);
  const { key, start, label } = groupKey(groupBy, zone);
  const resultColumns = legResults.map((result, i) => `countIf(result = ${escapeString(result)}) AS r${i}`);
  const phaseColumns = Object.entries(phases).flatMap(([name, column]) => [
    `countIf(${column} > 0) AS ${name}_count`,
    `sum(${column}) AS ${name}_total`,
    `if(${name}_count = 0, 0, avgIf(${column}, ${column} > 0)) AS ${name}_avg`,
    `max(${column}) AS ${name}_max`,
    `if(${name}_count = 0, 0, quantileIf(0.9)(${column}, ${column} > 0)) AS ${name}_p90`,
  ]);
  return new Sql(
    `SELECT ${key} AS group_key, any(${start}) AS group_start, ${label} AS group_label, count() AS calls, ` +
      `countIf(direction = 'Inbound') AS inbound, countIf(direction = 'Outbound') AS outbound, ` +
      `${[...resultColumns, ...phaseColumns].join(', ')} ` +
      `FROM ${latestLegsInRange(database, range).text} WHERE ${legConditions(range, filter).text} GROUP BY group_key ORDER BY group_key`,
  );
}

type StatsRow = Record<string, number | string>;

const num = (value: number | string | undefined): number => {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
};

function toGroup(row: StatsRow, groupBy: StatsGrouping, timeZone: string): StatsGroup {
  const startSeconds = num(row.group_start);
  const timed = groupBy === 'HOUR' || groupBy === 'DAY';
  const duration = (name: keyof typeof phases): DurationStats => ({
    count: num(row[`${name}_count`]),
    totalMs: num(row[`${name}_total`]),
    averageMs: Math.round(num(row[`${name}_avg`])),
    maxMs: num(row[`${name}_max`]),
    p90Ms: Math.round(num(row[`${name}_p90`])),
  });
  return {
    key: groupBy === 'HOUR' ? isoInZone(startSeconds * 1000, timeZone) : String(row.group_key),
    label: groupBy === 'QUEUE' ? String(row.group_label ?? '') || null : null,
    start: timed ? new Date(startSeconds * 1000).toISOString() : null,
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
): Promise<StatsGroup[]> {
  const rows = await runner.rows<StatsRow>('call_stats', statsSql(database, range, groupBy, filter));
  return rows.map((row) => toGroup(row, groupBy, range.timeZone));
}
