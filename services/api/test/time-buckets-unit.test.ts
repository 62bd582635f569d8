// The pure parts of the time-bucketed reports: which table answers a request (bucket-source.ts), the exact
// percentiles and maxima read from a histogram (duration-histogram.ts, against quantileExact's rank on the raw
// values), and the explorer's windows sorted by start (start-windows.ts).
import { nonCallResults } from '@callpulse/contracts';
import { createRandom } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { bucketsAnswer, leavesOutNonCalls, wholeUtcDays } from '../src/history/bucket-source.js';
import type { BusinessHoursFilter } from '../src/history/business-hours-sql.js';
import { type BinCount, binsToRead, exactRank, histogramFigures, type ValueCount } from '../src/history/duration-histogram.js';
import { FIRST_WINDOW_MS, startWindows } from '../src/history/start-windows.js';
import { resolveRange } from '../src/history/time-range.js';

const month = (timeZone: string) => resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone }, 366);
const closed = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
const hours = (timeZone: string, from: string, to: string): BusinessHoursFilter => ({
  mode: 'INSIDE',
  hours: { timeZone, week: { ...closed, monday: [{ from, to }] }, holidays: [], updatedAtMs: 0 },
});

describe('bucketsAnswer', () => {
  it('answers months in zones of whole, half and quarter hour offsets, and ranges on quarter hours', () => {
    for (const zone of ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns']) {
      expect(bucketsAnswer('quarters', month(zone), {}), zone).toBe(true);
      expect(bucketsAnswer('phases', month(zone), { excludeResults: nonCallResults }), zone).toBe(true);
    }
    const range = resolveRange({ from: '2026-03-02T10:15:00Z', to: '2026-03-02T10:45:00Z', timeZone: 'UTC' }, 366);
    expect(bucketsAnswer('quarters', range, {})).toBe(true);
  });

  it('refuses ranges off quarter hours, and filters the table has no column for', () => {
    const odd = resolveRange({ from: '2026-03-02T10:07:00Z', to: '2026-03-09T00:00:00Z', timeZone: 'UTC' }, 366);
    expect(bucketsAnswer('quarters', odd, {})).toBe(false);
    expect(bucketsAnswer('phases', odd, {})).toBe(false);
    const utc = month('UTC');
    for (const filter of [
      { phoneNumber: '555' },
      { minTalkMs: 1 },
      { maxDurationMs: 9 },
      { queueIds: ['q'] },
      { extensionIds: ['e'] },
      { telephonySessionId: 's' },
    ]) {
      expect(bucketsAnswer('quarters', utc, filter), JSON.stringify(filter)).toBe(false);
    }
    expect(bucketsAnswer('quarters', utc, { direction: 'Inbound', answered: true, endedBy: ['agent'], results: ['Missed'] })).toBe(true);
    expect(bucketsAnswer('phases', utc, { direction: 'Inbound' })).toBe(false);
    expect(bucketsAnswer('phases', utc, { excludeResults: ['Fax'] })).toBe(false);
    expect(bucketsAnswer('phases', utc, { results: ['Answered'] })).toBe(false);
    expect(bucketsAnswer('phases', utc, { weekdays: [1], hours: [9] })).toBe(true);
  });

  it('takes business hours opening and closing on quarter hours only', () => {
    const utc = month('UTC');
    expect(bucketsAnswer('quarters', utc, { businessHours: hours('Asia/Kathmandu', '08:45', '17:15') })).toBe(true);
    expect(bucketsAnswer('quarters', utc, { businessHours: hours('UTC', '09:07', '17:00') })).toBe(false);
    expect(bucketsAnswer('quarters', utc, { businessHours: hours('UTC', '09:00', '17:50') })).toBe(false);
    expect(bucketsAnswer('days', utc, { businessHours: hours('UTC', '09:00', '17:00') })).toBe(false);
  });

  it('extension_days needs a whole UTC day inside the range and takes extensions', () => {
    expect(wholeUtcDays(month('America/New_York'))).toEqual({
      fromMs: Date.parse('2026-03-02T00:00:00Z'),
      toMs: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(wholeUtcDays(resolveRange({ from: '2026-03-02', to: '2026-03-03', timeZone: 'America/New_York' }, 366))).toBeUndefined();
    expect(bucketsAnswer('days', month('Asia/Kolkata'), { extensionIds: ['e'], excludeResults: nonCallResults })).toBe(true);
    expect(bucketsAnswer('days', month('UTC'), { direction: 'Inbound' })).toBe(false);
  });

  it('reads the non-call flag for exactly contracts’ nonCallResults, in any order', () => {
    expect(leavesOutNonCalls(null)).toBe(false);
    expect(leavesOutNonCalls([])).toBe(false);
    expect(leavesOutNonCalls([...nonCallResults].reverse())).toBe(true);
    expect(leavesOutNonCalls(['Fax'])).toBeUndefined();
    expect(leavesOutNonCalls([...nonCallResults, 'Missed'])).toBeUndefined();
  });
});

/** The histogram of raw values as migration 0011 bins them. */
function histogram(values: number[]): { bins: BinCount[]; counts: ValueCount[] } {
  const bin = (ms: number) =>
    ms < 1_000_000
      ? Math.floor(ms / 1000)
      : ms < 10_000_000
        ? 1000 + Math.floor(ms / 10_000)
        : ms < 100_000_000
          ? 2000 + Math.floor(ms / 100_000)
          : 3000 + Math.floor(ms / 1_000_000);
  const bins = new Map<number, BinCount>();
  const counts = new Map<number, ValueCount>();
  for (const value of values) {
    const b = bin(value);
    const row = bins.get(b) ?? { phase: 2, bin: b, legs: 0, ms: 0 };
    row.legs += 1;
    row.ms += value;
    bins.set(b, row);
    const count = counts.get(value) ?? { phase: 2, bin: b, value, legs: 0 };
    count.legs += 1;
    counts.set(value, count);
  }
  return { bins: [...bins.values()], counts: [...counts.values()] };
}

describe('histogramFigures', () => {
  it('gives quantileExact’s p50 and p90 and the maximum, for every size and with ties', () => {
    const rand = createRandom(14).next;
    for (let n = 1; n <= 300; n += 1) {
      const values = Array.from({ length: n }, () =>
        rand() < 0.3 ? 5_000 : rand() < 0.5 ? 1 + Math.floor(rand() * 120_000) : 1 + Math.floor(rand() * 4_000_000),
      );
      const sorted = [...values].sort((a, b) => a - b);
      const { bins, counts } = histogram(values);
      const wanted = new Set(binsToRead(bins).map(({ bin }) => bin));
      // Only the values of the bins it asked for are given, as the query reads them.
      const figures = histogramFigures(
        2,
        bins,
        counts.filter((row) => wanted.has(row.bin)),
      );
      expect(figures, `n = ${n}`).toEqual({
        count: n,
        totalMs: values.reduce((sum, value) => sum + value, 0),
        quantiles: [sorted[Math.floor(0.5 * n)], sorted[Math.floor(0.9 * n)]],
        maxMs: sorted[n - 1],
      });
    }
  });

  it('is zero for a phase without legs, and the rank is ClickHouse’s', () => {
    expect(histogramFigures(1, [], [])).toEqual({ count: 0, totalMs: 0, quantiles: [0, 0], maxMs: 0 });
    expect(exactRank(0.9, 10)).toBe(9);
    expect(exactRank(0.5, 7)).toBe(3);
    expect(exactRank(1, 7)).toBe(6);
  });

  it('reads the values of at most three bins a phase: those of p50, p90 and the maximum', () => {
    const talk = histogram([1_000, 2_500, 2_600, 2_700, 9_000, 40_000]).bins;
    // n = 6: ranks 3 (2,700 in bin 2), 5 (40,000 in bin 40), and the maximum (bin 40 again).
    const ring = [{ phase: 1, bin: 7, legs: 1, ms: 7_100 }];
    const hold = [{ phase: 3, bin: 1, legs: 0, ms: 0 }];
    expect(binsToRead([...hold, ...talk, ...ring])).toEqual([
      { phase: 1, bin: 7 },
      { phase: 2, bin: 2 },
      { phase: 2, bin: 40 },
    ]);
    expect(binsToRead([])).toEqual([]);
  });

  it('fails loudly when the values read do not add up to a bin’s count', () => {
    const { bins } = histogram([1_000, 2_000, 3_000]);
    expect(() => histogramFigures(2, bins, [])).toThrow(/do not add up/);
  });
});

describe('startWindows', () => {
  const range = { fromMs: Date.parse('2026-03-01T00:00:00Z'), toMs: Date.parse('2026-04-01T00:00:00Z') };
  it('looks in the day at the page’s end first, then the whole range', () => {
    expect(startWindows(range, 'DESC')).toEqual([{ fromMs: range.toMs - FIRST_WINDOW_MS, toMs: range.toMs }, range]);
    expect(startWindows(range, 'ASC')).toEqual([{ fromMs: range.fromMs, toMs: range.fromMs + FIRST_WINDOW_MS }, range]);
  });

  it('starts from the cursor’s start, inclusive', () => {
    const at = Date.parse('2026-03-20T12:00:00Z');
    expect(startWindows(range, 'DESC', at)[0]).toEqual({ fromMs: at + 1 - FIRST_WINDOW_MS, toMs: at + 1 });
    expect(startWindows(range, 'ASC', at)[0]).toEqual({ fromMs: at, toMs: at + FIRST_WINDOW_MS });
  });

  it('is one window for a range of a day or less', () => {
    const day = { fromMs: range.fromMs, toMs: range.fromMs + FIRST_WINDOW_MS };
    expect(startWindows(day, 'DESC')).toEqual([day]);
    expect(startWindows(day, 'ASC')).toEqual([day]);
  });
});
