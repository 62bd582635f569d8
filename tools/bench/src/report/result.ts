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

export interface PartResult {
  part: string;
  figures: Figure[];
  /** How the part was run (sizes, durations) and anything a reader must know, e.g. a fallback. */
  notes: string[];
  /** Set when the part failed; its figures may be partial. */
  error?: string;
  seconds: number;
}
