// Reading a service's /metrics (Prometheus text format) for the bench: the value of a counter, summed over the
// series that carry the given labels; null when the service does not expose it (an older build).

function labelsMatch(labelText: string, wanted: Record<string, string>): boolean {
  for (const [name, value] of Object.entries(wanted)) {
    if (!labelText.includes(`${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)) return false;
  }
  return true;
}

export function counterValue(text: string, name: string, labels: Record<string, string> = {}): number | null {
  let found = false;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    let labelText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close < 0) continue;
      labelText = rest.slice(1, close);
      valueText = rest.slice(close + 1).trim();
    } else if (rest.startsWith(' ')) {
      valueText = rest.trim();
    } else {
      continue; // another metric whose name starts with this one (e.g. name_bucket)
    }
    if (!labelsMatch(labelText, labels)) continue;
    const value = Number(valueText.split(' ')[0]);
    if (!Number.isFinite(value)) continue;
    found = true;
    total += value;
  }
  return found ? total : null;
}

/** GET <url>/metrics; null when it cannot be read. */
export async function fetchMetrics(url: string): Promise<string | null> {
  try {
    const response = await fetch(`${url}/metrics`);
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** A histogram's cumulative bucket counts by upper bound (+Inf included), summed over the series with the labels. */
export function histogramBuckets(text: string, name: string, labels: Record<string, string> = {}): Map<number, number> | null {
  const buckets = new Map<number, number>();
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const close = line.indexOf('}');
    const labelText = line.slice(prefix.length, close);
    if (!labelsMatch(labelText, labels)) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(labelText)?.[1];
    const value = Number(
      line
        .slice(close + 1)
        .trim()
        .split(' ')[0],
    );
    if (le === undefined || !Number.isFinite(value)) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets.size === 0 ? null : buckets;
}

/**
 * The q-quantile (0-1) of the observations made between two readings of a histogram, interpolated linearly within its
 * bucket as Prometheus' histogram_quantile does (so it is only as fine as the buckets); the highest finite bound when
 * it falls in +Inf; null without observations.
 */
export function quantileBetween(before: Map<number, number> | null, after: Map<number, number> | null, q: number): number | null {
  if (!after) return null;
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => (after.get(bound) ?? 0) - (before?.get(bound) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    const count = counts[i] as number;
    if (count < rank) continue;
    const upper = bounds[i] as number;
    const lower = i === 0 ? 0 : (bounds[i - 1] as number);
    if (!Number.isFinite(upper)) return lower;
    const below = i === 0 ? 0 : (counts[i - 1] as number);
    return count === below ? upper : lower + ((upper - lower) * (rank - below)) / (count - below);
  }
  return bounds[bounds.length - 2] ?? null;
}

/** quantileBetween of a seconds histogram read from two /metrics texts, in whole milliseconds (null without data). */
export function quantileMsBetween(before: string | null, after: string | null, name: string, q: number): number | null {
  const value = quantileBetween(histogramBuckets(before ?? '', name), histogramBuckets(after ?? '', name), q);
  return value === null ? null : Math.round(value * 1000);
}
