// Opaque cursors (base64url JSON) and page sizes of the connections; a bad cursor or size is a clear error.
import { InputError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 50;

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks its shape with `accept`; any failure names the argument. */
export function decodeCursor<T>(cursor: string, accept: (value: unknown) => value is T, argument = 'after'): T {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(`${argument} is not a valid cursor: pass the endCursor or an edge cursor of a previous page`, argument);
  }
  if (!accept(value)) {
    throw new InputError(`${argument} is not a cursor of this query (a cursor is only valid with the same orderBy)`, argument);
  }
  return value;
}

export function pageSize(first: number | null | undefined, max: number): number {
  if (first == null) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1) throw new InputError(`first must be at least 1, got ${first}`, 'first');
  if (first > max) throw new InputError(`first must be at most ${max} (API_MAX_PAGE_SIZE), got ${first}`, 'first');
  return first;
}
