// The condition "the leg (or session) started inside / outside business hours" in SQL, from its start to the
// millisecond: the local weekday, wall-clock time of day and date of start_ms in the business hours' own time zone
// (so a day on which daylight saving changes is read as its clocks show it, and 08:59:59.999 is before a 09:00
// opening). start_time is start_ms in whole seconds (the writer's rule), so the seconds come from it and the
// milliseconds from start_ms. Built only from functions that ClickHouse 18.16 and current releases answer alike
// (toDayOfWeek over toDate: current releases read a second argument of toDayOfWeek as a week mode).
import { type BusinessHours, minutesOfDay, weekdayNames } from '@callpulse/contracts';
import { escapeString, Sql } from '@callpulse/platform';

export const businessHoursModes = ['ANY', 'INSIDE', 'OUTSIDE'] as const;
export type BusinessHoursMode = (typeof businessHoursModes)[number];

/** A filter by business hours, with the hours it applies. */
export interface BusinessHoursFilter {
  mode: 'INSIDE' | 'OUTSIDE';
  hours: BusinessHours;
}

const msOf = (time: string): number => (minutesOfDay(time) ?? 0) * 60_000;

/** True (1) for rows whose start is inside the business hours: an opening interval of its weekday, not a holiday. */
export function insideBusinessHours(hours: BusinessHours): Sql {
  const zone = escapeString(hours.timeZone);
  const weekday = `toDayOfWeek(toDate(start_time, ${zone}))`;
  const time = `((toHour(start_time, ${zone}) * 3600 + toMinute(start_time, ${zone}) * 60 + toSecond(start_time, ${zone})) * 1000 + start_ms % 1000)`;
  const days = weekdayNames.flatMap((day, index) => {
    const intervals = hours.week[day];
    if (intervals.length === 0) return [];
    const open = intervals.map((interval) => `(${time} >= ${msOf(interval.from)} AND ${time} < ${msOf(interval.to)})`).join(' OR ');
    return [`(${weekday} = ${index + 1} AND (${open}))`];
  });
  if (days.length === 0) return new Sql('0');
  // Checked dates (YYYY-MM-DD) as the numbers toYYYYMMDD gives.
  const dates = hours.holidays.map((date) => Number(date.replaceAll('-', ''))).filter(Number.isInteger);
  const holidays = dates.length === 0 ? '' : ` AND toYYYYMMDD(start_time, ${zone}) NOT IN (${dates.join(', ')})`;
  return new Sql(`((${days.join(' OR ')})${holidays})`);
}

/** The condition of a filter; undefined for none. */
export function businessHoursCondition(filter: BusinessHoursFilter | null | undefined): Sql | undefined {
  if (filter == null) return undefined;
  const inside = insideBusinessHours(filter.hours).text;
  return new Sql(filter.mode === 'INSIDE' ? inside : `NOT ${inside}`);
}
