// The CallFilter input (calls, the reports, the CSV export): checked, each bad value named, and turned into the range
// and the LegFilter of the history queries. businessHours INSIDE or OUTSIDE reads the account's business hours
// (admin/business-hours-store.ts); none set is a bad input. The report fields that predate `filter` (from, to,
// timeZone, extensionIds, queueIds, businessHours as arguments of their own) merge into it; a field given both ways is
// a bad input.
import { type BusinessHours, endedByValues, nonCallResults } from '@callpulse/contracts';
import { InputError } from '../errors.js';
import type { BusinessHoursMode } from '../history/business-hours-sql.js';
import type { LegFilter } from '../history/leg-filter.js';
import { type RangeInput, resolveRange, type TimeRange } from '../history/time-range.js';
import { checkIds } from './id-lists.js';

export interface CallFilterInput extends RangeInput {
  telephonySessionId?: string | null;
  extensionIds?: readonly string[] | null;
  direction?: string | null;
  result?: readonly string[] | null;
  queueIds?: readonly string[] | null;
  phoneNumber?: string | null;
  minRingMs?: number | null;
  minTalkMs?: number | null;
  minHoldMs?: number | null;
  maxRingMs?: number | null;
  maxTalkMs?: number | null;
  maxHoldMs?: number | null;
  minDurationMs?: number | null;
  maxDurationMs?: number | null;
  answered?: boolean | null;
  endedBy?: readonly string[] | null;
  weekdays?: readonly number[] | null;
  hours?: readonly number[] | null;
  businessHours?: BusinessHoursMode | null;
}

/** What a checked filter becomes. */
export interface CheckedFilter {
  range: TimeRange;
  filter: LegFilter;
}

export interface FilterContext {
  maxRangeDays: number;
  /** The account's business hours, read only when a filter asks for INSIDE or OUTSIDE. */
  businessHours: () => Promise<BusinessHours | null>;
}

const MAX_MS = 2 ** 53;

function duration(value: number | null | undefined, argument: string): number | null {
  if (value == null) return null;
  if (value < 0) throw new InputError(`${argument} must not be negative, got ${value}`, argument);
  if (!Number.isFinite(value) || value > MAX_MS) {
    throw new InputError(`${argument} must be a number of milliseconds from 0 to 2^53, got ${value}`, argument);
  }
  return Math.ceil(value);
}

function integers(values: readonly number[] | null | undefined, argument: string, low: number, high: number): readonly number[] | null {
  if (values == null) return null;
  const bad = values.find((value) => !Number.isInteger(value) || value < low || value > high);
  if (bad !== undefined) throw new InputError(`${argument} must hold whole numbers from ${low} to ${high}, got ${bad}`, argument);
  return [...new Set(values)];
}

/** RingCentral's telephony session ids (s-a0d7...Z...): letters, digits and a few separators, at most 200. */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$/;

function sessionId(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (!SESSION_ID.test(value)) {
    throw new InputError(
      `telephonySessionId must be a telephony session id (1 to 200 letters, digits, '.', '_', ':', '~' or '-', starting with a letter or digit, like s-a0d7b6c6f4e3a), got ${JSON.stringify(value.slice(0, 40))}`,
      'telephonySessionId',
    );
  }
  return value;
}

function endedBy(values: readonly string[] | null | undefined): readonly string[] | null {
  if (values == null) return null;
  const bad = values.find((value) => !(endedByValues as readonly string[]).includes(value));
  if (bad !== undefined) throw new InputError(`endedBy must hold ${endedByValues.join(', ')}, got ${JSON.stringify(bad)}`, 'endedBy');
  return values;
}

/** The filter's checks that need no I/O: every field but the business hours themselves. */
export function legFilterOf(input: CallFilterInput): LegFilter {
  if (input.phoneNumber != null && input.phoneNumber.length > 64) {
    throw new InputError('filter.phoneNumber may be at most 64 characters', 'phoneNumber');
  }
  return {
    telephonySessionId: sessionId(input.telephonySessionId),
    extensionIds: checkIds(input.extensionIds, 'extensionIds'),
    direction: input.direction ?? null,
    results: input.result ?? null,
    queueIds: checkIds(input.queueIds, 'queueIds'),
    phoneNumber: input.phoneNumber ?? null,
    minRingMs: duration(input.minRingMs, 'minRingMs'),
    minTalkMs: duration(input.minTalkMs, 'minTalkMs'),
    minHoldMs: duration(input.minHoldMs, 'minHoldMs'),
    maxRingMs: duration(input.maxRingMs, 'maxRingMs'),
    maxTalkMs: duration(input.maxTalkMs, 'maxTalkMs'),
    maxHoldMs: duration(input.maxHoldMs, 'maxHoldMs'),
    minDurationMs: duration(input.minDurationMs, 'minDurationMs'),
    maxDurationMs: duration(input.maxDurationMs, 'maxDurationMs'),
    answered: input.answered ?? null,
    endedBy: endedBy(input.endedBy),
    weekdays: integers(input.weekdays, 'weekdays', 1, 7),
    hours: integers(input.hours, 'hours', 0, 23),
  };
}

/** Checks a filter and resolves its range and business hours. */
export async function checkFilter(input: CallFilterInput, context: FilterContext): Promise<CheckedFilter> {
  const range = resolveRange(input, context.maxRangeDays);
  const filter = legFilterOf(input);
  const mode = input.businessHours ?? 'ANY';
  if (mode === 'INSIDE' || mode === 'OUTSIDE') {
    const hours = await context.businessHours();
    if (hours === null) {
      throw new InputError(
        `businessHours ${mode} needs the account's business hours, and none are set (an admin sets them with setBusinessHours)`,
        'businessHours',
      );
    }
    filter.businessHours = { mode, hours };
  } else if (mode !== 'ANY') {
    throw new InputError(`businessHours must be ANY, INSIDE or OUTSIDE, got ${JSON.stringify(mode)}`, 'businessHours');
  }
  return { range, filter };
}

/**
 * The legs the reports count: the filter's, and without a `result` in it no fax, redirected ring or supervisor's
 * party (nonCallResults), like callStats and hourlyDensity. A drill-down to `calls` then lists the call results.
 */
export function reportLegs(filter: LegFilter): LegFilter {
  return filter.results == null ? { ...filter, excludeResults: nonCallResults } : filter;
}

/** The arguments of the report queries that predate `filter`, merged into it; one field given both ways is a bad input. */
export function mergedFilter(args: CallFilterInput & { filter?: CallFilterInput | null }): CallFilterInput {
  const { filter, ...own } = args;
  const merged: Record<string, unknown> = { ...(filter ?? {}) };
  for (const [name, value] of Object.entries(own)) {
    if (value == null) continue;
    if (merged[name] != null && JSON.stringify(merged[name]) !== JSON.stringify(value)) {
      throw new InputError(`${name} is given both as an argument and in filter: give it once`, name);
    }
    merged[name] = value;
  }
  return merged as CallFilterInput;
}
