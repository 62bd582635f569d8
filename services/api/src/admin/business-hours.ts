// Checks the business hours an admin sends (setBusinessHours): a known IANA time zone, each day's intervals "HH:MM"
// to "HH:MM" (to after from, at most 24:00, not overlapping), holidays as real dates. Every bad value is named with
// its place (monday[1].to, holidays[3]) in one error; what passes is stored sorted and canonical.
import {
  type BusinessHours,
  isCalendarDate,
  MAX_HOLIDAYS,
  MAX_OPENING_INTERVALS_PER_DAY,
  minutesOfDay,
  type OpeningInterval,
  type WeekdayName,
  weekdayNames,
} from '@callpulse/contracts';
import { InputError } from '../errors.js';
import { checkTimeZone } from '../history/time-range.js';

export interface BusinessHoursInput extends Partial<Record<WeekdayName, readonly OpeningInterval[] | null>> {
  timeZone: string;
  holidays?: readonly string[] | null;
}

const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);

/** The checked business hours, or an InputError listing every problem (its argument: the first one's place). */
export function checkBusinessHours(input: BusinessHoursInput, nowMs = Date.now()): BusinessHours {
  const problems: Array<{ at: string; message: string }> = [];
  let timeZone = input.timeZone;
  try {
    timeZone = checkTimeZone(input.timeZone);
  } catch (err) {
    problems.push({ at: 'timeZone', message: (err as Error).message });
  }
  const week = {} as Record<WeekdayName, OpeningInterval[]>;
  for (const day of weekdayNames) {
    const intervals = input[day] ?? [];
    if (intervals.length > MAX_OPENING_INTERVALS_PER_DAY) {
      problems.push({ at: day, message: `at most ${MAX_OPENING_INTERVALS_PER_DAY} intervals a day, got ${intervals.length}` });
    }
    const valid: Array<{ from: number; to: number; index: number }> = [];
    intervals.forEach((interval, index) => {
      const from = minutesOfDay(interval.from);
      const to = minutesOfDay(interval.to);
      if (from === undefined || from === 24 * 60) {
        problems.push({ at: `${day}[${index}].from`, message: `${shown(interval.from)} is not a time from 00:00 to 23:59 (HH:MM)` });
      }
      if (to === undefined) {
        problems.push({ at: `${day}[${index}].to`, message: `${shown(interval.to)} is not a time from 00:01 to 24:00 (HH:MM)` });
      }
      if (from === undefined || to === undefined || from === 24 * 60) return;
      if (to <= from) {
        problems.push({
          at: `${day}[${index}].to`,
          message: `${shown(interval.to)} must be after from (${interval.from}); an interval past midnight is two, one on each day`,
        });
        return;
      }
      valid.push({ from, to, index });
    });
    valid.sort((a, b) => a.from - b.from);
    for (let i = 1; i < valid.length; i++) {
      const before = valid[i - 1] as (typeof valid)[number];
      const current = valid[i] as (typeof valid)[number];
      if (current.from < before.to) {
        problems.push({
          at: `${day}[${current.index}]`,
          message: `overlaps ${day}[${before.index}] (${intervals[before.index]?.from}-${intervals[before.index]?.to})`,
        });
      }
    }
    week[day] = valid.map(({ index }) => ({ from: intervals[index]?.from ?? '', to: intervals[index]?.to ?? '' }));
  }
  const holidays = input.holidays ?? [];
  if (holidays.length > MAX_HOLIDAYS) problems.push({ at: 'holidays', message: `at most ${MAX_HOLIDAYS} dates, got ${holidays.length}` });
  holidays.forEach((date, index) => {
    if (!isCalendarDate(date)) problems.push({ at: `holidays[${index}]`, message: `${shown(date)} is not a date YYYY-MM-DD` });
  });
  if (problems.length > 0) {
    throw new InputError(`business hours: ${problems.map(({ at, message }) => `${at}: ${message}`).join('; ')}`, problems[0]?.at);
  }
  return { timeZone, week, holidays: [...new Set(holidays)].sort(), updatedAtMs: nowMs };
}
