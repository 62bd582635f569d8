// An account's business hours, as the API stores them in Redis (redisKeys().businessHours, JSON) and the reports read
// them: the opening intervals of each weekday in local wall-clock time, the holidays (whole local days closed), and
// the IANA time zone both are read in. The API's admin mutation checks what an admin sends (each bad value named);
// the schema here only reads back what was stored.
import { z } from 'zod';

/** The weekdays, Monday first: ISO-8601 day numbers are the index + 1 (Monday 1 ... Sunday 7). */
export const weekdayNames = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof weekdayNames)[number];

/** Open from `from` (included) to `to` (excluded), local wall-clock "HH:MM"; `to` may be "24:00" (the day's end). */
export interface OpeningInterval {
  from: string;
  to: string;
}

export interface BusinessHours {
  /** IANA name, canonical (e.g. Europe/Berlin). */
  timeZone: string;
  /** Each weekday's opening intervals, sorted and not overlapping; [] = closed all day. */
  week: Record<WeekdayName, OpeningInterval[]>;
  /** Local dates (YYYY-MM-DD) closed all day, sorted. */
  holidays: string[];
  /** When an admin last set them (epoch ms). */
  updatedAtMs: number;
}

/** The most intervals one day may hold, and the most holidays. */
export const MAX_OPENING_INTERVALS_PER_DAY = 12;
export const MAX_HOLIDAYS = 1000;

/** "HH:MM" from 00:00 to 24:00 -> minutes since local midnight; undefined when it is not such a time. */
export function minutesOfDay(time: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
export function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = new Date(Date.UTC(year, month - 1, day));
  return value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 && value.getUTCDate() === day;
}

const interval = z.object({
  from: z.string().refine((time) => minutesOfDay(time) !== undefined),
  to: z.string().refine((time) => minutesOfDay(time) !== undefined),
});

/** What is stored: read back with this (a stored value that does not fit is treated as not set, and logged). */
export const businessHoursSchema = z.object({
  timeZone: z.string().min(1),
  week: z.object(
    Object.fromEntries(weekdayNames.map((day) => [day, z.array(interval)])) as Record<WeekdayName, z.ZodArray<typeof interval>>,
  ),
  holidays: z.array(z.string().refine(isCalendarDate)),
  updatedAtMs: z.number().int().nonnegative(),
});
