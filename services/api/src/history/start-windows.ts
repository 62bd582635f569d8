// The explorer's pages sorted by start, newest (or oldest) first, without sorting the whole range: ClickHouse 18.16
// cannot read legs_by_start in its order and stop, so a page is looked for in the day at the page's end of the range
// first, and in the whole range only when that day holds fewer legs than the page needs. Exact: every leg of the
// window sorts before every leg outside it.

/** How far the first window reaches from the page's end (about 111,000 legs on the bench's busiest data). */
export const FIRST_WINDOW_MS = 86_400_000;

export interface Window {
  fromMs: number;
  toMs: number;
}

/**
 * The windows to search, in order: the day at the page's end (from the cursor's start when there is one: a keyset
 * after start s DESC holds starts <= s, ASC >= s), then the whole range; only the first when it reaches the range's far end.
 */
export function startWindows(range: Window, direction: 'ASC' | 'DESC', cursorStartMs?: number): Window[] {
  const end = direction === 'DESC' ? Math.min(range.toMs, cursorStartMs === undefined ? range.toMs : cursorStartMs + 1) : undefined;
  const start = direction === 'ASC' ? Math.max(range.fromMs, cursorStartMs ?? range.fromMs) : undefined;
  const first =
    end !== undefined
      ? { fromMs: Math.max(range.fromMs, end - FIRST_WINDOW_MS), toMs: end }
      : { fromMs: start as number, toMs: Math.min(range.toMs, (start as number) + FIRST_WINDOW_MS) };
  // The first window already reaches the far end of the range: every leg the page can hold is in it.
  const reachesEnd = direction === 'DESC' ? first.fromMs <= range.fromMs : first.toMs >= range.toMs;
  return reachesEnd ? [first] : [first, { fromMs: range.fromMs, toMs: range.toMs }];
}
