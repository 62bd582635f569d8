// callStats' rows as ClickHouse gives them (the columns of stats-sql.ts) -> the groups the API answers with.
import { legResults } from '@callpulse/contracts';
import type { DurationStats, Phase, StatsGroup, StatsGrouping } from './stats-types.js';
import { isoInstant, isoInZone } from './time-range.js';

export type StatsRow = Record<string, number | string>;

const num = (value: number | string | undefined): number => {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
};

export function toGroup(row: StatsRow, groupBy: StatsGrouping, timeZone: string): StatsGroup {
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
