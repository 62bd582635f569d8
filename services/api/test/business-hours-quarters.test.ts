// Business hours as a list of quarter hours on a bucket column (business-hours-quarters.ts) give, on the real
// ClickHouse, the answer of the per-row condition on each leg's own start (business-hours-sql.ts) for starts all over a
// year, month by month (every daylight-saving change, :30 and :45 zones, Lord Howe's half-hour change, holidays, a
// whole open Sunday, INSIDE and OUTSIDE, so both IN and NOT IN lists), the milliseconds on each side of every quarter
// hour included; and no list is given where a quarter hour's starts could be on both sides, or when it is too long.
import type { BusinessHours } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl } from '../../../test/support/env.js';
import { bucketConditions } from '../src/history/bucket-sql.js';
import { businessHoursQuarters, MAX_LISTED_QUARTERS, quarterListCondition } from '../src/history/business-hours-quarters.js';
import { insideBusinessHours } from '../src/history/business-hours-sql.js';
import type { TimeRange } from '../src/history/time-range.js';
import { businessHoursCases, hoursIn, months2026, nine } from './support/business-hours-cases.js';

const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
afterAll(() => clickhouse.close());

// a 40-hour week and holidays; clocks change on 03-08 and 11-01
const newYorkWeek = hoursIn('America/New_York', { monday: nine, tuesday: nine, wednesday: nine, thursday: nine, friday: nine }, [
  '2026-03-09',
  '2026-11-02',
]);
const cases: BusinessHours[] = [
  ...businessHoursCases,
  newYorkWeek,
  // open most of the week: the INSIDE list is the longer one, so NOT IN the closed quarter hours is sent
  hoursIn('America/St_Johns', {
    sunday: [{ from: '00:00', to: '24:00' }],
    monday: [{ from: '00:00', to: '24:00' }],
    tuesday: [{ from: '00:00', to: '24:00' }],
    wednesday: [{ from: '06:00', to: '23:00' }],
    saturday: [{ from: '00:00', to: '24:00' }],
  }),
];

const months = months2026;

/** Leg starts over the range, each with its quarter hour's bucket: every 7 min 13.457 s, and 1 ms before, at and 1 ms after every quarter hour. */
function starts(range: TimeRange): string {
  const quarters = (range.toMs - range.fromMs) / 900_000;
  const spread = Math.floor((range.toMs - range.fromMs) / 433_457);
  return (
    'SELECT start_ms, start_time, toDateTime(intDiv(toUInt32(start_time), 900) * 900) AS bucket FROM (' +
    'SELECT start_ms, toDateTime(intDiv(start_ms, 1000)) AS start_time FROM (' +
    `SELECT toUInt64(${range.fromMs} + number * 433457) AS start_ms FROM system.numbers LIMIT ${spread} UNION ALL ` +
    `SELECT toUInt64(${range.fromMs - 1} + intDiv(number, 3) * 900000 + (number % 3)) AS start_ms FROM system.numbers LIMIT ${3 * quarters}))`
  );
}

describe('business hours as a list of quarter hours', () => {
  it('match the per-row condition on the legs` starts on ClickHouse for a year, inside and outside', async () => {
    let negated = 0;
    for (const hours of cases) {
      for (const mode of ['INSIDE', 'OUTSIDE'] as const) {
        const perRow = insideBusinessHours(hours).text;
        const wanted = mode === 'INSIDE' ? perRow : `NOT ${perRow}`;
        const parts = months.map((month) => {
          const list = businessHoursQuarters(month, { mode, hours });
          expect(list, `${hours.timeZone} ${mode} ${new Date(month.fromMs).toISOString()}`).toBeDefined();
          if (list?.negated) negated += 1;
          return (
            `SELECT materialize(toUInt8(${wanted})) AS on_side, materialize(toUInt8(${quarterListCondition(list ?? { listed: [], negated: false })})) AS listed ` +
            `FROM (${starts(month)}) WHERE start_ms >= ${month.fromMs} AND start_ms < ${month.toMs}`
          );
        });
        const query = `SELECT count() AS starts, countIf(on_side) AS n_on_side, countIf(on_side != listed) AS wrong FROM (${parts.join(' UNION ALL ')})`;
        const [row] = await (
          await clickhouse.query({ query, format: 'JSONEachRow', clickhouse_settings: { max_query_size: '4000000' } })
        ).json<Record<string, string>>();
        expect(Number(row?.wrong), `${hours.timeZone} ${mode}`).toBe(0);
        expect(Number(row?.n_on_side)).toBeGreaterThan(1000);
        expect(Number(row?.starts) - Number(row?.n_on_side)).toBeGreaterThan(1000);
      }
    }
    expect(negated, 'months sent as NOT IN').toBeGreaterThan(12);
    expect(negated, 'months sent as IN').toBeLessThan(cases.length * 2 * 12 - 12);
  }, 120_000);

  it('list the shorter side: IN the wanted quarter hours or NOT IN the others, nothing or everything when empty', () => {
    const berlin = cases[0] as BusinessHours;
    // Monday 2026-03-02, 09:00-17:00 in Berlin (+01:00): 08:00-16:00 UTC, 32 of the day's 96 quarter hours.
    const monday: TimeRange = { fromMs: Date.parse('2026-03-02T00:00:00Z'), toMs: Date.parse('2026-03-03T00:00:00Z'), timeZone: 'UTC' };
    const open = Array.from({ length: 32 }, (_, i) => Date.parse('2026-03-02T08:00:00Z') / 1000 + 900 * i);
    expect(businessHoursQuarters(monday, { mode: 'INSIDE', hours: berlin })).toEqual({ listed: open, negated: false });
    expect(businessHoursQuarters(monday, { mode: 'OUTSIDE', hours: berlin })).toEqual({ listed: open, negated: true });
    expect(quarterListCondition({ listed: open.slice(0, 2), negated: true })).toBe(`toUInt32(bucket) NOT IN (${open[0]}, ${open[1]})`);
    const thursday: TimeRange = { ...monday, fromMs: monday.fromMs + 3 * 86_400_000, toMs: monday.toMs + 3 * 86_400_000 };
    const none = businessHoursQuarters(thursday, { mode: 'INSIDE', hours: berlin });
    expect(none).toEqual({ listed: [], negated: false });
    expect(quarterListCondition(none ?? { listed: [1], negated: true })).toBe('0');
    expect(quarterListCondition({ listed: [], negated: true })).toBe('1');
    // The reports' bucket conditions carry the list, not the per-bucket conversion to the zone.
    const where = bucketConditions(monday, { businessHours: { mode: 'INSIDE', hours: berlin } }, false);
    expect(where).toContain(`toUInt32(bucket) IN (${open.join(', ')})`);
    expect(where).not.toContain('toHour');
  });

  it('are refused where a quarter hour could hold starts on both sides, or when too long, and the per-bucket condition is sent', () => {
    const offQuarter = hoursIn('Europe/Berlin', { monday: [{ from: '09:10', to: '17:00' }] });
    const january = months[0] as TimeRange;
    expect(businessHoursQuarters(january, { mode: 'INSIDE', hours: offQuarter })).toBeUndefined();
    expect(businessHoursQuarters({ ...january, fromMs: january.fromMs + 60_000 }, { mode: 'INSIDE', hours: newYorkWeek })).toBeUndefined();
    // Africa/Monrovia was at -00:44:30 until 1972.
    const monrovia = hoursIn('Africa/Monrovia', { monday: nine });
    const in1970: TimeRange = { fromMs: 0, toMs: 30 * 86_400_000, timeZone: 'UTC' };
    expect(businessHoursQuarters(in1970, { mode: 'INSIDE', hours: monrovia })).toBeUndefined();
    expect(businessHoursQuarters(january, { mode: 'INSIDE', hours: monrovia })).toBeDefined();
    // A 40-hour week over four months: ~2,700 open quarter hours, the shorter side, more than the list takes.
    const quarterYear: TimeRange = { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 4, 1), timeZone: 'UTC' };
    const bench = { mode: 'INSIDE' as const, hours: newYorkWeek };
    expect(businessHoursQuarters(quarterYear, bench)).toBeUndefined();
    expect(MAX_LISTED_QUARTERS).toBeLessThan(2700);
    expect(bucketConditions(quarterYear, { businessHours: bench }, false)).toContain("toHour(bucket, 'America/New_York')");
    expect(businessHoursQuarters({ ...quarterYear, toMs: Date.UTC(2026, 2, 1) }, bench)).toBeDefined();
  });
});
