// Exact percentiles of a sample (sorted copy): the samples are at most a few hundred thousand numbers.

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? null;
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

/** Rounds to `digits` decimals, keeping null. */
export function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Milliseconds since the time origin with sub-ms resolution, comparable across the bench process. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
