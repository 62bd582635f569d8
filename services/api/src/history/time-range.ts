// Time zones and ranges of the history queries: IANA zones checked with Intl, `from`/`to` as ISO-8601 instants or
// local dates/times in the caller's zone, and the range rules (from before to, at most API_MAX_RANGE_DAYS).
import { DateTime, IANAZone } from 'luxon';
import { InputError } from '../errors.js';

export interface TimeRange {
  fromMs: number;
  toMs: number;
  timeZone: string;
}

/**
 * The canonical IANA name of a zone (`europe/berlin` -> `Europe/Berlin`, `Asia/Kolkata` -> `Asia/Calcutta`: ICU's
 * canonical names are IANA names every tz database holds), or a GraphQL error naming the bad value. ClickHouse looks
 * zone names up case-sensitively, so a name in another case must not reach it.
 */
export function checkTimeZone(timeZone: string | null | undefined): string {
  const zone = timeZone ?? 'UTC';
  try {
    if (zone.length > 100) throw new RangeError('too long');
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new InputError(
      `unknown time zone ${JSON.stringify(zone.length > 100 ? `${zone.slice(0, 100)}...` : zone)}: use an IANA name such as Europe/Berlin or Asia/Kolkata`,
      'timeZone',
    );
  }
}

/** The times a range may name: what ClickHouse's DateTime holds (1970 to early 2106). */
export const EARLIEST_MS = 0;
export const LATEST_MS = Date.UTC(2106, 0, 1);

/** Epoch ms of an ISO-8601 time; a date or a time without offset is read in `timeZone`. */
export function parseTime(value: string, timeZone: string, argument: string): number {
  const shown = JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
  const parsed = value.length > 100 ? undefined : DateTime.fromISO(value.trim(), { zone: timeZone, setZone: false });
  if (!parsed?.isValid) {
    throw new InputError(`${argument} is not an ISO-8601 date or time (e.g. 2026-03-02 or 2026-03-02T09:00:00Z): ${shown}`, argument);
  }
  const ms = parsed.toMillis();
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    throw new InputError(`${argument} must be between 1970-01-01T00:00:00Z and 2106-01-01T00:00:00Z, got ${shown}`, argument);
  }
  return ms;
}

export interface RangeInput {
  from?: string | null;
  to?: string | null;
  timeZone?: string | null;
}

/** Checks and resolves a range; `to` defaults to now and `from` to 24 hours before `to`. */
export function resolveRange(input: RangeInput, maxRangeDays: number, now = Date.now()): TimeRange {
  const timeZone = checkTimeZone(input.timeZone);
  const toMs = input.to == null ? now : parseTime(input.to, timeZone, 'to');
  const fromMs = input.from == null ? Math.max(EARLIEST_MS, toMs - 24 * 3600_000) : parseTime(input.from, timeZone, 'from');
  if (fromMs >= toMs) {
    throw new InputError(`from (${isoInstant(fromMs)}) must be before to (${isoInstant(toMs)})`, 'from');
  }
  if (toMs - fromMs > maxRangeDays * 24 * 3600_000) {
    throw new InputError(`the range from ${isoInstant(fromMs)} to ${isoInstant(toMs)} is longer than ${maxRangeDays} days`, 'to');
  }
  return { fromMs, toMs, timeZone };
}

/** Largest epoch ms a Date holds (year 275760). */
const MAX_DATE_MS = 8.64e15;

/**
 * An epoch ms as ISO-8601 UTC, for any number: a value beyond what a Date holds is clamped to its limit (and a
 * non-number is the epoch), so a stored time can never make a page fail.
 */
export function isoInstant(epochMs: number): string {
  const ms = Number.isFinite(epochMs) ? Math.min(Math.max(epochMs, -MAX_DATE_MS), MAX_DATE_MS) : 0;
  return new Date(ms).toISOString();
}

/** isoInstant for an optional time: null when absent (null, 0 or negative). */
export function isoInstantOrNull(epochMs: number | null | undefined): string | null {
  return epochMs == null || !(epochMs > 0) ? null : isoInstant(epochMs);
}

/** An instant as ISO-8601 with the zone's offset, e.g. 2026-03-02T14:30:00.000+05:30. */
export function isoInZone(epochMs: number, timeZone: string): string {
  return DateTime.fromMillis(epochMs, { zone: timeZone }).toISO() ?? isoInstant(epochMs);
}

const HOUR_MS = 3600_000;

/** Both bounds of the range fall on whole UTC hours (e.g. 2026-03-02T00:00:00Z, or midnight in Europe/Berlin). */
export function onWholeUtcHours(range: TimeRange): boolean {
  return range.fromMs % HOUR_MS === 0 && range.toMs % HOUR_MS === 0;
}

/** How far apart the offsets are sampled; no zone changes its offset twice within this time. */
const OFFSET_STEP_MS = 6 * HOUR_MS;

/**
 * Whether every local hour and day of the range is made of whole UTC hours: the zone's offset from UTC is a whole
 * number of hours throughout the range, and each change of it (daylight saving) happens on a whole UTC hour. False
 * for Asia/Kolkata (+05:30), Australia/Adelaide, America/St_Johns and the like. The offset is sampled every 6 hours
 * and each change is located to the millisecond by bisection (a year costs about 1,500 look-ups, not 17,000).
 */
export function hasWholeHourOffsets(range: TimeRange): boolean {
  return offsetsOnWhole(range, HOUR_MS);
}

const QUARTER_MS = 900_000;

/** Both bounds of the range fall on whole UTC quarter hours (the buckets of leg_quarter_hours, migration 0011). */
export function onWholeUtcQuarters(range: TimeRange): boolean {
  return range.fromMs % QUARTER_MS === 0 && range.toMs % QUARTER_MS === 0;
}

/**
 * Whether every local quarter hour of the range is a UTC quarter hour: offsets of whole quarter hours (Asia/Kolkata's
 * +05:30 and Asia/Kathmandu's +05:45 too) changing on whole UTC quarter hours, so a local hour, day, weekday or
 * business-hours opening on a quarter hour is made of whole UTC quarter hours.
 */
export function hasQuarterHourOffsets(range: TimeRange, timeZone = range.timeZone): boolean {
  return offsetsOnWhole({ ...range, timeZone }, QUARTER_MS);
}

function offsetsOnWhole(range: TimeRange, unitMs: number): boolean {
  const zone = IANAZone.create(range.timeZone);
  if (!zone.isValid) return false;
  const unitMinutes = unitMs / 60_000;
  return offsetChanges(zone, range.fromMs, range.toMs).every(
    (change, index) => change.offset % unitMinutes === 0 && (index === 0 || change.fromMs % unitMs === 0),
  );
}

/** From this instant on (to the next change), the zone is `offset` minutes ahead of UTC. */
export interface OffsetChange {
  fromMs: number;
  offset: number;
}

/**
 * A zone's offsets over [fromMs, toMs): the offset at fromMs, then each change to the millisecond. Sampled every 6
 * hours and bisected, so a month costs about 150 look-ups of the zone (each a formatToParts of Intl) instead of one
 * per quarter hour (~3,000: about 27 ms on our machine, for every business-hours list of a request).
 */
export function offsetChanges(zone: IANAZone, fromMs: number, toMs: number): OffsetChange[] {
  const last = Math.max(fromMs, toMs - 1);
  let at = fromMs;
  let offset = zone.offset(at);
  const changes: OffsetChange[] = [{ fromMs, offset }];
  while (at < last) {
    const next = Math.min(at + OFFSET_STEP_MS, last);
    const nextOffset = zone.offset(next);
    if (nextOffset !== offset) {
      let before = at; // has the old offset
      let after = next; // has the new one
      while (after - before > 1) {
        const middle = Math.floor((before + after) / 2);
        if (zone.offset(middle) === offset) before = middle;
        else after = middle;
      }
      changes.push({ fromMs: after, offset: nextOffset });
    }
    at = next;
    offset = nextOffset;
  }
  return changes;
}

/** The offset (minutes) at an instant of the changes' range: the last change at or before it. */
export function offsetAt(changes: readonly OffsetChange[], atMs: number): number {
  let low = 0;
  let high = changes.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((changes[middle] as OffsetChange).fromMs <= atMs) low = middle;
    else high = middle - 1;
  }
  return (changes[low] as OffsetChange).offset;
}
