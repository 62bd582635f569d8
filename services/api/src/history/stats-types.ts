// The types of callStats: its groupings, one group's figures, and which of the costlier figures a query selects.
import type { LegResult } from '@callpulse/contracts';

/** The phases of a leg that callStats gives figures of, with their column in the legs table. */
export const phases = { ring: 'ring_ms', talk: 'talk_ms', hold: 'hold_ms' } as const;
export type Phase = keyof typeof phases;

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
