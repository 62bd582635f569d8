// One measured figure, with its goal when the issue sets one, and notes that say how it was measured.

export interface Goal {
  /** The figure must be at least (`>=`) or at most (`<=`) value. */
  op: '>=' | '<=';
  value: number;
}

export interface Figure {
  part: string;
  measure: string;
  value: number | null;
  unit: string;
  goal?: Goal;
  /** true / false when there is a goal and a value; null otherwise. */
  met: boolean | null;
  note?: string;
}

export function figure(
  part: string,
  measure: string,
  value: number | null,
  unit: string,
  extra: { goal?: Goal; note?: string } = {},
): Figure {
  const met = extra.goal && value !== null ? (extra.goal.op === '>=' ? value >= extra.goal.value : value <= extra.goal.value) : null;
  return { part, measure, value, unit, met, ...extra };
}

/** A part's runs side by side (e.g. ingest against its baselines): one row per run, one column per measure. */
export interface RunTable {
  title: string;
  columns: string[];
  /** Cells in column order; a number is formatted like a figure's value, null shows as n/a. */
  rows: (string | number | null)[][];
}

export interface PartResult {
  part: string;
  figures: Figure[];
  /** How the part was run (sizes, durations) and anything a reader must know, e.g. a fallback. */
  notes: string[];
  /** Optional: runs compared side by side, printed after the figures (and kept in the JSON). */
  tables?: RunTable[];
  /** Set when the part failed; its figures may be partial. */
  error?: string;
  seconds: number;
}
