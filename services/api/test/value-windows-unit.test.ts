// The explorer's value windows on plain data (value-windows.ts): the threshold read from the guess's rows (net counts
// of versions, ties cut by the guess's limit, a guess that saw everything), the bounds of a window with a cursor, and
// the latest versions among a window's rows, the next pages' thresholds a guess hands on and the page read through one.
import { describe, expect, it } from 'vitest';
import {
  beyondCursor,
  type GuessedRow,
  hintedKeys,
  latestRows,
  MAX_HINTS,
  pageHints,
  valueWindow,
  windowBounds,
  windowHoldsPage,
} from '../src/history/value-windows.js';

/** The guess's rows in order, each its own start (start_ms = 1000 x start_s + i): a value alone is a +1 row, [value, sign] any row. */
const guess = (rows: Array<number | [number, number]>): GuessedRow[] =>
  rows.map((row, i) => {
    const [value, sign] = typeof row === 'number' ? [row, 1] : row;
    return { value, sign, startS: 100 + i, startMs: (100 + i) * 1000 + i };
  });

describe('valueWindow', () => {
  it('is empty when no row matches', () => {
    expect(valueWindow([], 8, 3)).toBe('empty');
  });

  it('stops at the first value whose rows reach the page, and lists the starts of the rows up to it', () => {
    const rows = guess([90, 80, 70, 60, 50, 40, 30, 20]);
    const window = valueWindow(rows, 8, 3);
    expect(window).toEqual({ threshold: 70, startS: [100, 101, 102], startMs: [100000, 101001, 102002], complete: false });
  });

  it('takes a tie at the threshold whole', () => {
    const rows = guess([90, 80, 80, 80, 50, 40]);
    const window = valueWindow(rows, 6, 2);
    expect(window).toMatchObject({ threshold: 80, complete: false });
    expect(window !== 'empty' && window !== 'unknown' && window.startS.length).toBe(4);
  });

  it('counts a cancelled version and its -1 copy as none', () => {
    // 90: a version and its -1 copy; 80: one leg; 70: a version cancelled and its -1 copy, then one leg.
    const rows = guess([90, [90, -1], 80, [70, -1], 70, 70, 60, 50]);
    expect(valueWindow(rows, 8, 2)).toMatchObject({ threshold: 70 });
    expect(valueWindow(rows, 8, 3)).toMatchObject({ threshold: 60 });
  });

  it('names no threshold from a value the limit may have cut (more of its rows can follow)', () => {
    const rows = guess([90, 80, 80, 80]);
    expect(valueWindow(rows, 4, 3)).toBe('unknown');
    expect(valueWindow(rows, 4, 1)).toMatchObject({ threshold: 90 });
  });

  it('holds everything when the guess saw every row, however few reach the page', () => {
    const rows = guess([90, 80, [80, -1]]);
    const window = valueWindow(rows, 8, 5);
    expect(window).toMatchObject({ threshold: 80, complete: true });
    expect(window !== 'empty' && window !== 'unknown' && windowHoldsPage(window, 1, 5)).toBe(true);
    const cut = valueWindow(guess([...Array(8)].map((_, i) => [100 - i, 1] as [number, number])), 8, 3);
    expect(cut !== 'empty' && cut !== 'unknown' && windowHoldsPage(cut, 2, 3)).toBe(false);
  });

  it('works the same ascending (the rows come in the page’s order)', () => {
    const rows = guess([0, 0, 5, 7, 9]);
    expect(valueWindow(rows, 5, 3)).toMatchObject({ threshold: 5 });
  });
});

describe('a cursor page’s window (the guess read without the keyset)', () => {
  it('counts no row at the cursor’s value (shown or not, the guess cannot tell) but keeps its start in the window', () => {
    // Cursor at 80 DESC: the guess sends every row <= 80, three of them at 80 (some shown on the page before).
    const rows = guess([80, 80, 80, 70, 60, 50, 40]);
    const window = valueWindow(rows, 7, 2, beyondCursor('DESC', 80));
    expect(window).toMatchObject({ threshold: 60 });
    expect(window !== 'empty' && window !== 'unknown' && window.startS).toEqual([100, 101, 102, 103, 104]);
    const ascending = guess([40, 40, 50, 60, 70]);
    expect(valueWindow(ascending, 5, 2, beyondCursor('ASC', 40))).toMatchObject({ threshold: 60 });
  });

  it('names no threshold while the rows at the cursor’s value may go on beyond the guess', () => {
    const rows = guess([80, 80, 80]);
    expect(valueWindow(rows, 3, 1, beyondCursor('DESC', 80))).toBe('unknown');
    expect(valueWindow(rows, 4, 1, beyondCursor('DESC', 80))).toMatchObject({ threshold: 80, complete: true });
  });

  it('counts every value beyond a cursor, and every value on the first page', () => {
    expect([90, 80.5, 80, 70].map(beyondCursor('DESC', 80.5))).toEqual([false, false, true, true]);
    expect([0, 2, 3].map(beyondCursor('ASC', 2.5))).toEqual([false, false, true]);
    expect([0, 2, 3].map(beyondCursor('ASC'))).toEqual([true, true, true]);
  });
});

describe('windowBounds', () => {
  it('bounds the value by the threshold and by the cursor, in the direction of the page', () => {
    expect(windowBounds('talk_ms', 'DESC', 70)).toEqual(['talk_ms >= 70']);
    expect(windowBounds('talk_ms', 'DESC', 70, 90)).toEqual(['talk_ms <= 90', 'talk_ms >= 70']);
    expect(windowBounds('duration_ms', 'ASC', 70, 20)).toEqual(['duration_ms >= 20', 'duration_ms <= 70']);
    expect(windowBounds('ring_ms', 'ASC', undefined, 2.5)).toEqual(['ring_ms >= 2']);
    expect(windowBounds('ring_ms', 'DESC', undefined, 2.5)).toEqual(['ring_ms <= 2']);
  });
});

describe('latestRows', () => {
  it('keeps the +1 rows whose version has no -1 row, in order, up to the limit', () => {
    const row = (id: string, version: number, sign: number) => ({ telephony_session_id: id, party_id: `${id}-p1`, version, sign });
    const rows = [row('a', 2, 1), row('b', 1, 1), row('b', 1, -1), row('c', 1, 1), row('b', 2, 1), row('d', 1, 1)];
    expect(latestRows(rows, 10).map((r) => `${r.telephony_session_id}${r.version}`)).toEqual(['a2', 'c1', 'b2', 'd1']);
    expect(latestRows(rows, 2).map((r) => `${r.telephony_session_id}${r.version}`)).toEqual(['a2', 'c1']);
  });
});

describe('pageHints (the next pages’ thresholds from a guess)', () => {
  const descending = (n: number) => guess([...Array(n)].map((_, i) => [1000 - 10 * i, 1] as [number, number]));

  it('names for the k-th next page the value at which (k + 1) x first + 1 legs are reached', () => {
    // first 2: this page's window reaches 3 rows; the next page's 5 (value 960), the one after 7 (940), then 9 (920).
    expect(pageHints(descending(12), 12, 2)).toEqual([960, 940, 920, 900]);
  });

  it('counts versions net, takes ties whole and names nothing from a value the limit may have cut', () => {
    const rows = guess([90, [90, -1], 80, 70, 70, 70, 60, 60]);
    // first 1: the next page needs 3 legs, the one after 4 (both at 70: 4 net), then 5 and 6 (60, whose rows may go on
    // beyond the limit, unless the guess saw every row).
    expect(pageHints(rows, 8, 1)).toEqual([70, 70]);
    expect(pageHints(rows, 9, 1)).toEqual([70, 70, 60, 60]);
  });

  it('does not count the rows at a cursor’s value (the guess cannot tell the shown ones)', () => {
    const rows = guess([80, 80, 70, 60, 50, 40]);
    // Beyond 80: 70 is 1, 60 is 2, 50 is 3 (the next page's 2 x 1 + 1), 40 the last value the limit may have cut.
    expect(pageHints(rows, 6, 1, beyondCursor('DESC', 80))).toEqual([50]);
    expect(pageHints(guess([10, 20, 30, 40]), 5, 1, beyondCursor('ASC', 10))).toEqual([40]);
  });

  it('names at most MAX_HINTS, and none from an empty guess', () => {
    expect(pageHints(descending(100), 100, 1)).toHaveLength(MAX_HINTS);
    expect(pageHints([], 8, 3)).toEqual([]);
  });
});

describe('hintedKeys (a window read through a hint)', () => {
  const row = (id: string, version: number, sign: number) => ({ telephony_session_id: id, party_id: `${id}-p1`, version, sign });

  it('gives the page’s latest versions when the window holds the page, else nothing (a stale or forged hint)', () => {
    const rows = [row('a', 1, 1), row('b', 1, -1), row('b', 1, 1), row('c', 2, 1), row('d', 1, 1)];
    expect(hintedKeys(rows, 10, 3)?.map((r) => r.telephony_session_id)).toEqual(['a', 'c', 'd']);
    expect(hintedKeys(rows, 10, 4)).toBeUndefined();
    expect(hintedKeys([], 10, 1)).toBeUndefined();
  });

  it('leaves out the version its limit may have cut (its -1 copy first, its +1 row beyond the limit)', () => {
    const rows = [row('a', 1, 1), row('c', 1, 1), row('b', 1, -1)];
    expect(hintedKeys(rows, 3, 2)?.map((r) => r.telephony_session_id)).toEqual(['a', 'c']);
    // Cut on a +1 row: counted only when its -1 copy cannot follow (fewer rows than the limit).
    const plus = [row('a', 1, 1), row('c', 1, 1), row('b', 1, 1)];
    expect(hintedKeys(plus, 3, 3)).toBeUndefined();
    expect(hintedKeys(plus, 4, 3)?.map((r) => r.telephony_session_id)).toEqual(['a', 'c', 'b']);
  });
});
