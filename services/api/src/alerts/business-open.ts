// Whether an instant falls inside the account's business hours (pure): its local weekday's opening intervals in the
// hours' time zone, a holiday closed all day. Without business hours set, always open (the NO_EVENTS rule then
// watches around the clock).
import { type BusinessHours, minutesOfDay, weekdayNames } from '@callpulse/contracts';
import { DateTime } from 'luxon';

export function businessHoursOpen(hours: BusinessHours | null, nowMs: number): boolean {
  if (hours === null) return true;
  const local = DateTime.fromMillis(nowMs, { zone: hours.timeZone });
  if (!local.isValid) return true;
  if (hours.holidays.includes(local.toFormat('yyyy-MM-dd'))) return false;
  const day = weekdayNames[local.weekday - 1];
  if (!day) return false;
  const minute = local.hour * 60 + local.minute;
  return hours.week[day].some((interval) => {
    const from = minutesOfDay(interval.from);
    const to = minutesOfDay(interval.to);
    return from !== undefined && to !== undefined && minute >= from && minute < to;
  });
}
