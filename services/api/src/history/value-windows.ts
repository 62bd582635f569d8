// The explorer's pages sorted by a duration (talk, duration, ring, hold) without sorting the whole range: ClickHouse
// 18.16 sorts every key of the range for ORDER BY talk_ms DESC LIMIT n, reading the keys (strings) of every leg. A
// first query reads only numbers, the sort value, sign and start of the first rows in the page's order (value-window-
// sql.ts, the guess); this module finds in them a threshold T such that at least first + 1 latest legs after the cursor
// have a value >= T (DESC; <= T for ASC), and the starts of every row beyond T. The page is then chosen among those
// rows alone, in the second query. Exact: every leg beyond T sorts before every other leg, so the first first + 1 legs
// beyond T are the range's; a -1 row is a copy of the +1 row it cancels (same value, same start), so both are among
// the rows beyond T or neither, and the version dedupe among them (here, on the page's rows) is the dedupe over the range. When no such T can be
// read from the guess (ties beyond its rows, or most of them cancelled versions), the plain query runs.

/** One row of the guess, in the page's order: a matching row's sort value, sign (+1 a version, -1 its cancelling copy) and start. */
export interface GuessedRow {
  value: number;
  sign: number;
  startS: number;
  /** Not sent by the guess (value-window-sql.ts): start_s names the rows' granules, the value bounds the rest. */
  startMs?: number;
}

export interface ValueWindow {
  /** value >= threshold (DESC) or value <= threshold (ASC). */
  threshold: number;
  /** The starts (start_time in seconds, start_ms when the guess sent it) of every row beyond the threshold, without repeats, ascending. */
  startS: number[];
  startMs: number[];
  /** The guess saw every matching row: the window holds every leg after the cursor, however few. */
  complete: boolean;
}

/**
 * How many rows the guess reads: a page and its +1 row, and three times as many for ties and cancelled versions among
 * them; twice that after a cursor, whose guess also sends the rows at the cursor's value shown before (beyondCursor).
 */
export function guessLimit(first: number, afterCursor = false): number {
  return (afterCursor ? 8 : 4) * (first + 1);
}

/**
 * The guess's rows at the end of each value it saw whole (every value but its last one's when it hit the limit: that
 * value's rows may go on beyond it), with the net count so far (signs summed: a cancelled version and its -1 copy add
 * up to 0) of the rows of the values `beyond` allows.
 */
function* wholeValueEnds(
  rows: readonly GuessedRow[],
  limit: number,
  beyond: (value: number) => boolean,
): Generator<{ index: number; row: GuessedRow; net: number }> {
  const last = rows.at(-1);
  if (last === undefined) return;
  const complete = rows.length < limit;
  let net = 0;
  for (const [index, row] of rows.entries()) {
    net += beyond(row.value) ? row.sign : 0;
    const endOfValue = rows[index + 1]?.value !== row.value;
    const seenWhole = complete || row.value !== last.value;
    if (endOfValue && seenWhole) yield { index, row, net };
  }
}

/**
 * The window of a page from the guess's rows (in the page's order, at most `limit` of them): 'empty' when no row
 * matches, 'unknown' when the guess cannot name a threshold. The threshold is the first value at which the net count of
 * the rows so far (signs summed: a cancelled version and its -1 copy add up to 0) reaches `need` (first + 1), among the
 * values the guess saw every row of (its last value's rows may go on beyond the limit); when the guess saw every row
 * (fewer than `limit`), its last value: the window then holds everything after the cursor. Only the rows of the values
 * `beyond` allows count (beyondCursor: not those at a cursor's value).
 */
export function valueWindow(
  rows: readonly GuessedRow[],
  limit: number,
  need: number,
  beyond: (value: number) => boolean = () => true,
): ValueWindow | 'empty' | 'unknown' {
  if (rows.length === 0) return 'empty';
  for (const { index, row, net } of wholeValueEnds(rows, limit, beyond)) {
    if (net >= need || index === rows.length - 1) {
      const inside = rows.slice(0, index + 1);
      const distinct = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
      return {
        threshold: row.value,
        startS: distinct(inside.map((r) => r.startS)),
        startMs: distinct(inside.flatMap((r) => (r.startMs === undefined ? [] : [r.startMs]))),
        complete: rows.length < limit,
      };
    }
  }
  return 'unknown';
}

/** How many pages ahead a page hands on thresholds in its cursor (calls-query.ts; a cursor with more is refused). */
export const MAX_HINTS = 8;

/**
 * The thresholds of the pages after this one, read from the same guess (the hints its cursor hands on): for the k-th
 * next page, the first value the guess saw whole at which the net count of the rows beyond the cursor reaches
 * (k + 1) x first + 1 (that page's rows and its +1 row, with this page's before them), as valueWindow finds this page's.
 * Only the thresholds the guess reached: a next page without one guesses again. A threshold names only where a window
 * ends: the page read through it is checked as any window's (hintedKeys), so a stale or forged one is never wrong.
 */
export function pageHints(
  rows: readonly GuessedRow[],
  limit: number,
  first: number,
  beyond: (value: number) => boolean = () => true,
): number[] {
  const hints: number[] = [];
  for (const { row, net } of wholeValueEnds(rows, limit, beyond)) {
    while (hints.length < MAX_HINTS && net >= (hints.length + 2) * first + 1) hints.push(row.value);
  }
  return hints;
}

/**
 * The page's keys from a window read through a hint (every matching row after the cursor with a value up to the
 * threshold, in the page's order, at most `limit`), or undefined when they do not hold the page (the hint was stale or
 * forged: the caller runs the plain query). Exact when they do: every leg outside the window sorts after every leg in
 * it. A window cut by its limit may end inside a version's rows (its -1 copy sorts first): those rows are left out.
 */
export function hintedKeys<T extends WindowRow>(rows: readonly T[], limit: number, need: number): T[] | undefined {
  const keyOf = (row: WindowRow) => JSON.stringify([row.telephony_session_id, row.party_id, String(row.version)]);
  const cut = rows.length >= limit ? keyOf(rows.at(-1) as T) : undefined;
  const keys = latestRows(
    rows.filter((row) => keyOf(row) !== cut),
    need,
  );
  return keys.length >= need ? keys : undefined;
}

/**
 * Which of a cursor page's guessed values count towards its page: those strictly beyond the cursor's value. The guess
 * reads numbers only (the keyset's strings over a month cost 225 MiB), so it sends the rows at the cursor's value whether
 * they are before the cursor (shown) or after it; they count for nothing, but their starts are in the window, where the
 * keyset (on the window's few rows) keeps those after the cursor. Every value on the first page.
 */
export function beyondCursor(direction: 'ASC' | 'DESC', cursorValue?: number): (value: number) => boolean {
  if (cursorValue === undefined) return () => true;
  return direction === 'DESC' ? (value) => value < cursorValue : (value) => value > cursorValue;
}

/** The conditions on the sort column of a window: the cursor's value (a keyset after it never passes it), and the threshold. */
export function windowBounds(column: string, direction: 'ASC' | 'DESC', threshold?: number, cursorValue?: number): string[] {
  const [near, far] = direction === 'DESC' ? ['<=', '>='] : ['>=', '<='];
  return [
    // Whole: the column is; floor is exact for DESC (<= 2.5 is <= 2) and looser than the keyset for ASC (>= 2.5 within >= 2).
    ...(cursorValue === undefined ? [] : [`${column} ${near} ${Math.floor(cursorValue)}`]),
    ...(threshold === undefined ? [] : [`${column} ${far} ${Math.trunc(threshold)}`]),
  ];
}

/**
 * Whether the window's page is the range's: a full page (and its +1 row), or all there is when the guess saw every row.
 * Fewer otherwise only when legs changed between the two queries (a version superseded by one outside the window).
 */
export function windowHoldsPage(window: ValueWindow, rows: number, need: number): boolean {
  return rows >= need || window.complete;
}

/** A row of the window: its version's key and sign. */
export interface WindowRow {
  telephony_session_id: string;
  party_id: string;
  version: number | string;
  sign: number | string;
}

/**
 * The latest versions among the window's rows, in their order, at most `limit`: the +1 rows whose version has no -1
 * row (as leg-filter.ts latestLegClauses' NOT IN keeps them; the -1 copies are in the window with their +1 rows).
 */
export function latestRows<T extends WindowRow>(rows: readonly T[], limit: number): T[] {
  const keyOf = (row: WindowRow) => JSON.stringify([row.telephony_session_id, row.party_id, String(row.version)]);
  const cancelled = new Set(rows.filter((row) => Number(row.sign) === -1).map(keyOf));
  return rows.filter((row) => Number(row.sign) === 1 && !cancelled.has(keyOf(row))).slice(0, limit);
}
