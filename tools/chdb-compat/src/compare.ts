// Comparing two engines' answers to one statement (pure): JSONEachRow rows normalised, then row by row, and the
// differences said in words a person can act on.

export type Row = Record<string, unknown>;

const numeric = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * A value as compared. Numbers and numeric strings become numbers: the JSON formats quote 64-bit integers or not by
 * version and setting, and a String column of digits becomes a number on both sides alike. Anything else as is.
 */
export function normaliseValue(value: unknown): unknown {
  if (typeof value === 'string' && numeric.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map(normaliseValue);
  return value;
}

export function normaliseRow(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, normaliseValue(value)]));
}

/**
 * Equal values. Floats (averages) may differ in the last bits where an engine adds in another order, so two
 * non-integers within a relative 1e-12 are equal; integers (every count, sum, id and time) must be exact.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return true;
    if (Number.isInteger(a) && Number.isInteger(b)) return false;
    return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return a === b;
}

const shown = (value: unknown) => JSON.stringify(value);
const sortKey = (row: Row) => JSON.stringify(Object.entries(row).sort(([x], [y]) => (x < y ? -1 : 1)));

/**
 * The differences between the reference's rows and the other engine's, at most `limit` lines. `ordered` false for a
 * statement without ORDER BY (an engine may give its rows in any order): both sides are sorted first.
 */
export function rowDifferences(reference: Row[], other: Row[], options: { ordered: boolean; limit?: number }): string[] {
  const limit = options.limit ?? 8;
  let a = reference.map(normaliseRow);
  let b = other.map(normaliseRow);
  if (!options.ordered) {
    a = [...a].sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1));
    b = [...b].sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1));
  }
  const found: string[] = [];
  if (a.length !== b.length) found.push(`${a.length} rows against ${b.length}`);
  for (let i = 0; i < Math.max(a.length, b.length) && found.length < limit; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) {
      found.push(`row ${i}: ${x === undefined ? 'missing' : shown(x)} against ${y === undefined ? 'missing' : shown(y)}`);
      continue;
    }
    const columns = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    const xs = Object.keys(x).join(',');
    const ys = Object.keys(y).join(',');
    if (xs !== ys) found.push(`row ${i}: columns (${xs}) against (${ys})`);
    const differing = columns.filter((column) => !sameValue(x[column], y[column]));
    if (differing.length > 0) {
      found.push(`row ${i}: ${differing.map((column) => `${column} ${shown(x[column])} against ${shown(y[column])}`).join(', ')}`);
    }
  }
  return found.slice(0, limit);
}
