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

/** The start of a row: a DateTime column and the milliseconds beyond its whole second. */
export interface StartColumns {
  time: string;
  milliseconds: string;
}

/** A leg's start: start_time and start_ms. */
export const legStart: StartColumns = { time: 'start_time', milliseconds: 'start_ms % 1000' };

/**
 * Whether every opening and closing time is on a quarter hour (09:00, 12:15, 17:45, 24:00): then, in a zone whose
 * offsets are whole quarter hours, all the starts of a UTC quarter hour are inside or all outside, and a quarter
 * hour's own start answers for them (time-bucket-source.ts).
 */
export function opensOnQuarterHours(hours: BusinessHours): boolean {
  return weekdayNames.every((day) =>
    hours.week[day].every((interval) => (minutesOfDay(interval.from) ?? 1) % 15 === 0 && (minutesOfDay(interval.to) ?? 1) % 15 === 0),
  );
}

/** True (1) for rows whose start is inside the business hours: an opening interval of its weekday, not a holiday. */
export function insideBusinessHours(hours: BusinessHours, start: StartColumns = legStart): Sql {
  const zone = escapeString(hours.timeZone);
  const at = start.time;
  const weekday = `toDayOfWeek(toDate(${at}, ${zone}))`;
  const time = `((toHour(${at}, ${zone}) * 3600 + toMinute(${at}, ${zone}) * 60 + toSecond(${at}, ${zone})) * 1000 + ${start.milliseconds})`;
  const days = weekdayNames.flatMap((day, index) => {
    const intervals = hours.week[day];
    if (intervals.length === 0) return [];
    const open = intervals.map((interval) => `(${time} >= ${msOf(interval.from)} AND ${time} < ${msOf(interval.to)})`).join(' OR ');
    return [`(${weekday} = ${index + 1} AND (${open}))`];
  });
  if (days.length === 0) return new Sql('0');
  // Checked dates (YYYY-MM-DD) as the numbers toYYYYMMDD gives.
  const dates = hours.holidays.map((date) => Number(date.replaceAll('-', ''))).filter(Number.isInteger);
  const holidays = dates.length === 0 ? '' : ` AND toYYYYMMDD(${at}, ${zone}) NOT IN (${dates.join(', ')})`;
  return new Sql(`((${days.join(' OR ')})${holidays})`);
}

/** The condition of a filter; undefined for none. */
export function businessHoursCondition(filter: BusinessHoursFilter | null | undefined, start: StartColumns = legStart): Sql | undefined {
  if (filter == null) return undefined;
  const inside = insideBusinessHours(filter.hours, start).text;
  return new Sql(filter.mode === 'INSIDE' ? inside : `NOT ${inside}`);
}
