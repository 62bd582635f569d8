// Whether an instant falls inside the account's business hours, and since when it is open (pure): its local weekday's
// opening intervals in the hours' time zone, a holiday closed all day; an opening that runs to 24:00 and on from 00:00
// the next day is one opening. Without business hours set, always open (the NO_EVENTS rule then watches around the
// clock).
import { type BusinessHours, minutesOfDay, weekdayNames } from '@callpulse/contracts';
import { DateTime } from 'luxon';

export interface BusinessOpening {
  open: boolean;
  /** When the current opening began (epoch ms); null when closed, or always open (no hours set). */
  sinceMs: number | null;
}

/** The opening interval of the local day `day` that contains minute `minute` (from and to in minutes), if any. */
function intervalAt(hours: BusinessHours, day: DateTime, minute: number): { from: number; to: number } | undefined {
  if (hours.holidays.includes(day.toFormat('yyyy-MM-dd'))) return undefined;
  const name = weekdayNames[day.weekday - 1];
  if (!name) return undefined;
  for (const interval of hours.week[name]) {
    const from = minutesOfDay(interval.from);
    const to = minutesOfDay(interval.to);
    if (from !== undefined && to !== undefined && minute >= from && minute < to) return { from, to };
  }
  return undefined;
}

export function businessOpening(hours: BusinessHours | null, nowMs: number): BusinessOpening {
  if (hours === null) return { open: true, sinceMs: null };
  const local = DateTime.fromMillis(nowMs, { zone: hours.timeZone });
  if (!local.isValid) return { open: true, sinceMs: null };
  let day = local.startOf('day');
  let interval = intervalAt(hours, day, local.hour * 60 + local.minute);
  if (!interval) return { open: false, sinceMs: null };
  // Open since 00:00: the opening may have begun on an earlier day that was open until 24:00 (at most a week back).
  for (let back = 0; back < 7 && interval.from === 0; back += 1) {
    const before = day.minus({ days: 1 });
    const previous = intervalAt(hours, before, 24 * 60 - 1);
    if (!previous || previous.to !== 24 * 60) break;
    day = before;
    interval = previous;
  }
  return { open: true, sinceMs: day.plus({ minutes: interval.from }).toMillis() };
}

export function businessHoursOpen(hours: BusinessHours | null, nowMs: number): boolean {
  return businessOpening(hours, nowMs).open;
}
