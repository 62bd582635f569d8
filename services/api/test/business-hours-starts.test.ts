// Business hours as ranges of start times (business-hours-starts.ts) give, on the real ClickHouse, the same answer as the
// per-row condition (business-hours-sql.ts) for starts all over a year (every daylight-saving change, month by month, :30 and :45
// zones, Lord Howe's half-hour change, holidays, a whole open Sunday, INSIDE and OUTSIDE), including the milliseconds
// on each side of every quarter hour; and they are refused where a quarter hour's starts could be on both sides.
import type { BusinessHours } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl } from '../../../test/support/env.js';
import { insideBusinessHours } from '../src/history/business-hours-sql.js';
import { businessHoursStartRanges, MAX_START_RANGES, startRangesCondition } from '../src/history/business-hours-starts.js';
import type { TimeRange } from '../src/history/time-range.js';
import { businessHoursCases, hoursIn, months2026, nine } from './support/business-hours-cases.js';

const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
afterAll(() => clickhouse.close());

const cases: BusinessHours[] = [
  ...businessHoursCases,
  hoursIn('America/St_Johns', { sunday: [{ from: '00:00', to: '24:00' }], wednesday: nine }),
];

const year: TimeRange = { fromMs: Date.parse('2026-01-01T00:00:00Z'), toMs: Date.parse('2027-01-01T00:00:00Z'), timeZone: 'UTC' };
/** Months: at most MAX_START_RANGES ranges each, so the ranges are given. */
const months = months2026;

/** Starts over the range: every 7 min 13.457 s, and 1 ms before, at and 1 ms after every quarter hour. */
function starts(range: TimeRange): string {
  const quarters = (range.toMs - range.fromMs) / 900_000;
  const spread = Math.floor((range.toMs - range.fromMs) / 433_457);
  return (
    `SELECT start_ms, toDateTime(intDiv(start_ms, 1000)) AS start_time FROM (` +
    `SELECT toUInt64(${range.fromMs} + number * 433457) AS start_ms FROM system.numbers LIMIT ${spread} UNION ALL ` +
    `SELECT toUInt64(${range.fromMs - 1} + intDiv(number, 3) * 900000 + (number % 3)) AS start_ms FROM system.numbers LIMIT ${3 * quarters})`
  );
}

describe('business hours as start ranges', () => {
  it('match the per-row condition on ClickHouse for a year of starts, inside and outside', async () => {
    for (const hours of cases) {
      for (const mode of ['INSIDE', 'OUTSIDE'] as const) {
        const perRow = insideBusinessHours(hours).text;
        const wanted = mode === 'INSIDE' ? perRow : `NOT ${perRow}`;
        const parts = months.map((month) => {
          const ranges = businessHoursStartRanges(month, { mode, hours });
          expect(ranges, `${hours.timeZone} ${mode} ${new Date(month.fromMs).toISOString()}`).toBeDefined();
          return (
            `SELECT materialize(toUInt8(${wanted})) AS on_side, materialize(toUInt8(${startRangesCondition(ranges ?? [], 'start_time')})) AS in_ranges ` +
            `FROM (${starts(month)}) WHERE start_ms >= ${month.fromMs} AND start_ms < ${month.toMs}`
          );
        });
        const query = `SELECT count() AS starts, countIf(on_side) AS n_on_side, countIf(on_side != in_ranges) AS wrong FROM (${parts.join(' UNION ALL ')})`;
        const [row] = await (
          await clickhouse.query({ query, format: 'JSONEachRow', clickhouse_settings: { max_query_size: '2000000' } })
        ).json<Record<string, string>>();
        expect(Number(row?.wrong), `${hours.timeZone} ${mode}`).toBe(0);
        expect(Number(row?.n_on_side)).toBeGreaterThan(1000);
        expect(Number(row?.starts) - Number(row?.n_on_side)).toBeGreaterThan(1000);
      }
    }
  }, 120_000);

  it('are merged runs of whole quarter hours, in order, cut to nothing when none is on the side', () => {
    const berlin = cases[0] as BusinessHours;
    // Monday 2026-03-02, 09:00-17:00 in Berlin (+01:00): 08:00-16:00 UTC.
    const monday: TimeRange = { fromMs: Date.parse('2026-03-02T00:00:00Z'), toMs: Date.parse('2026-03-03T00:00:00Z'), timeZone: 'UTC' };
    expect(businessHoursStartRanges(monday, { mode: 'INSIDE', hours: berlin })).toEqual([
      [Date.parse('2026-03-02T08:00:00Z') / 1000, Date.parse('2026-03-02T16:00:00Z') / 1000],
    ]);
    expect(businessHoursStartRanges(monday, { mode: 'OUTSIDE', hours: berlin })).toEqual([
      [Date.parse('2026-03-02T00:00:00Z') / 1000, Date.parse('2026-03-02T08:00:00Z') / 1000],
      [Date.parse('2026-03-02T16:00:00Z') / 1000, Date.parse('2026-03-03T00:00:00Z') / 1000],
    ]);
    const thursday: TimeRange = { ...monday, fromMs: monday.fromMs + 3 * 86_400_000, toMs: monday.toMs + 3 * 86_400_000 };
    expect(businessHoursStartRanges(thursday, { mode: 'INSIDE', hours: berlin })).toEqual([]);
    expect(startRangesCondition([], 'start_time')).toBe('0');
  });

  it('are refused where a quarter hour could hold starts on both sides, or when too many', () => {
    const offQuarter = hoursIn('Europe/Berlin', { monday: [{ from: '09:10', to: '17:00' }] });
    expect(businessHoursStartRanges(year, { mode: 'INSIDE', hours: offQuarter })).toBeUndefined();
    // Africa/Monrovia was at -00:44:30 until 1972.
    const monrovia = hoursIn('Africa/Monrovia', { monday: nine });
    const in1970: TimeRange = { fromMs: 0, toMs: 30 * 86_400_000, timeZone: 'UTC' };
    expect(businessHoursStartRanges(in1970, { mode: 'INSIDE', hours: monrovia })).toBeUndefined();
    expect(businessHoursStartRanges(months[0] as TimeRange, { mode: 'INSIDE', hours: monrovia })).toBeDefined();
    const everyOtherQuarter = hoursIn('UTC', {
      monday: Array.from({ length: 48 }, (_, i) => ({
        from: `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
        to: `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '45' : '15'}`,
      })),
    });
    // 48 ranges every Monday: more than MAX_START_RANGES in a month
    expect(4 * 48).toBeGreaterThan(MAX_START_RANGES);
    expect(businessHoursStartRanges(months[0] as TimeRange, { mode: 'INSIDE', hours: everyOtherQuarter })).toBeUndefined();
    expect(businessHoursStartRanges(year, { mode: 'INSIDE', hours: cases[1] as BusinessHours })).toBeUndefined();
  });
});
