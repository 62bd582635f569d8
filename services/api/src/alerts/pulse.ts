// call-state's pipeline pulse as the alert conditions read it (pure): when the latest telephony event was received,
// and the largest lag of the workers' recent batches (an entry older than LAG_FRESH_MS is a worker that applied
// nothing since: it says nothing about now).
export const LAG_FRESH_MS = 10_000;
/** Lag entries older than this are deleted by the evaluator (workers that are gone). */
export const LAG_FORGET_MS = 600_000;

export interface PulseReading {
  lastEventAtMs: number | null;
  lagMs: number | null;
  /** Fields of workers gone long ago. */
  stale: string[];
}

export function readPulse(fields: Record<string, string>, nowMs: number): PulseReading {
  const last = Number(fields.lastEventAtMs);
  let lagMs: number | null = null;
  const stale: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (!field.startsWith('lag:')) continue;
    let entry: { lagMs?: unknown; atMs?: unknown };
    try {
      entry = JSON.parse(value) as typeof entry;
    } catch {
      stale.push(field);
      continue;
    }
    const atMs = Number(entry.atMs);
    const lag = Number(entry.lagMs);
    if (!Number.isFinite(atMs) || nowMs - atMs > LAG_FORGET_MS) stale.push(field);
    else if (Number.isFinite(lag) && nowMs - atMs <= LAG_FRESH_MS) lagMs = Math.max(lagMs ?? 0, lag);
  }
  return { lastEventAtMs: Number.isFinite(last) && last > 0 ? last : null, lagMs, stale };
}
