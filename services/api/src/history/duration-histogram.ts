// durationStats from the exact histogram of migration 0011, on plain data: per phase, the legs and ms of each duration
// bin (leg_phase_bins), then the legs of each exact value in the few bins that hold a percentile's rank or the maximum
// (leg_phase_values). The percentile is quantileExact's: the value at 0-based rank floor(q x n) of the sorted values.

/** The phases' numbers in the tables (migration 0011) and their names. */
export const phaseNumbers = { ring: 1, talk: 2, hold: 3 } as const;
export type PhaseName = keyof typeof phaseNumbers;

/** The levels durationStats gives (p50, p90). */
export const quantileLevels = [0.5, 0.9] as const;

export interface BinCount {
  phase: number;
  bin: number;
  legs: number;
  ms: number;
}

export interface ValueCount {
  phase: number;
  bin: number;
  value: number;
  legs: number;
}

export interface HistogramFigures {
  count: number;
  totalMs: number;
  /** One value per level of quantileLevels. */
  quantiles: number[];
  maxMs: number;
}

/** The 0-based rank quantileExact reads for a level of n values (ClickHouse: level * n truncated, the last for 1). */
export function exactRank(level: number, n: number): number {
  return level < 1 ? Math.floor(level * n) : n - 1;
}

/** The phase's bins with legs, in ascending order. */
function binsOf(bins: readonly BinCount[], phase: number): BinCount[] {
  return bins.filter((row) => row.phase === phase && row.legs !== 0).sort((a, b) => a.bin - b.bin);
}

/** The bin holding the value at `rank` and how many values come before it, or undefined past the end. */
function binAt(bins: readonly BinCount[], rank: number): { bin: number; before: number } | undefined {
  let before = 0;
  for (const row of bins) {
    if (rank < before + row.legs) return { bin: row.bin, before };
    before += row.legs;
  }
  return undefined;
}

/** count, total, quantiles and maximum of one phase; zeros when no leg had it (as quantilesExactIf and max give). */
export function histogramFigures(phase: number, bins: readonly BinCount[], values: readonly ValueCount[]): HistogramFigures {
  const ordered = binsOf(bins, phase);
  const count = ordered.reduce((sum, row) => sum + row.legs, 0);
  const totalMs = ordered.reduce((sum, row) => sum + row.ms, 0);
  if (count === 0) return { count: 0, totalMs, quantiles: quantileLevels.map(() => 0), maxMs: 0 };
  const own = values.filter((row) => row.phase === phase && row.legs !== 0).sort((a, b) => a.value - b.value);
  const valueAt = (rank: number): number => {
    const hit = binAt(ordered, rank);
    if (!hit) return 0;
    let seen = hit.before;
    for (const row of own) {
      if (row.bin !== hit.bin) continue;
      seen += row.legs;
      if (rank < seen) return row.value;
    }
    throw new Error(`duration histogram: the values of phase ${phase} bin ${hit.bin} do not add up to its count`);
  };
  return { count, totalMs, quantiles: quantileLevels.map((level) => valueAt(exactRank(level, count))), maxMs: valueAt(count - 1) };
}

/**
 * The bins whose exact values the figures need, per phase: those holding each level's rank and the highest (at most
 * three a phase). The second of durationStats' two queries reads the values of these bins alone.
 */
export function binsToRead(bins: readonly BinCount[]): Array<{ phase: number; bin: number }> {
  return Object.values(phaseNumbers).flatMap((phase) => {
    const ordered = binsOf(bins, phase);
    const count = ordered.reduce((sum, row) => sum + row.legs, 0);
    if (count === 0) return [];
    const ranks = [...quantileLevels.map((level) => exactRank(level, count)), count - 1];
    const wanted = new Set(ranks.map((rank) => binAt(ordered, rank)?.bin).filter((bin) => bin !== undefined));
    return [...wanted].sort((a, b) => a - b).map((bin) => ({ phase, bin }));
  });
}
