// The query string of GET /export/calls.csv (pure): the CallFilter's fields under their GraphQL names, lists repeated
// or comma-separated (extensionIds=1,2 or extensionIds=1&extensionIds=2), plus orderBy (START, DURATION, RING, TALK,
// HOLD) and orderDirection (ASC, DESC). Every bad value and every unknown parameter is an InputError naming it; the API
// key is never taken from the URL (URLs end up in logs, histories and Referer headers).
import { directions, legResults } from '@callpulse/contracts';
import { InputError } from '../errors.js';
import type { CallFilterInput } from '../graphql/call-filter.js';
import { businessHoursModes } from '../history/business-hours-sql.js';
import { type CallOrder, callOrderFields } from '../history/calls-query.js';

type Raw = Record<string, string | string[] | undefined>;

const texts = ['from', 'to', 'timeZone', 'phoneNumber', 'telephonySessionId'] as const;
const idLists = ['extensionIds', 'queueIds'] as const;
const durations = ['minRingMs', 'minTalkMs', 'minHoldMs', 'maxRingMs', 'maxTalkMs', 'maxHoldMs', 'minDurationMs', 'maxDurationMs'] as const;
const numberLists = ['weekdays', 'hours'] as const;
const known = new Set<string>([
  ...texts,
  ...idLists,
  ...durations,
  ...numberLists,
  'direction',
  'result',
  'answered',
  'endedBy',
  'businessHours',
  'orderBy',
  'orderDirection',
]);
const keyLike = /^(key|api[_-]?key|token|access[_-]?token|auth|authorization|bearer)$/i;

function single(raw: Raw, name: string): string | undefined {
  const value = raw[name];
  if (Array.isArray(value)) throw new InputError(`${name} may be given once, got ${value.length} values`, name);
  return value;
}

function listOf(raw: Raw, name: string): string[] | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).filter((part) => part !== '');
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`, name);
  }
  return value as T;
}

function number(value: string, name: string): number {
  const parsed = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw new InputError(`${name} must be a number, got ${JSON.stringify(value.slice(0, 40))}`, name);
  return parsed;
}

export interface ExportRequest {
  filter: CallFilterInput;
  order: CallOrder;
}

/** The export's filter and order from the parsed query string. */
export function exportRequest(raw: Raw): ExportRequest {
  for (const name of Object.keys(raw)) {
    if (keyLike.test(name)) {
      throw new InputError(`${name}: the API key goes in the Authorization header (Bearer), never in the URL`, name);
    }
    if (!known.has(name))
      throw new InputError(`unknown parameter ${JSON.stringify(name.slice(0, 40))}; the parameters are ${[...known].join(', ')}`, name);
  }
  const filter: Record<string, unknown> = {};
  for (const name of texts) {
    const value = single(raw, name);
    if (value !== undefined) filter[name] = value;
  }
  for (const name of idLists) filter[name] = listOf(raw, name);
  for (const name of durations) {
    const value = single(raw, name);
    if (value !== undefined) filter[name] = number(value, name);
  }
  for (const name of numberLists) filter[name] = listOf(raw, name)?.map((value) => number(value, name));
  const direction = single(raw, 'direction');
  if (direction !== undefined) filter.direction = oneOf(direction, directions, 'direction');
  filter.result = listOf(raw, 'result')?.map((value) => oneOf(value, legResults, 'result'));
  filter.endedBy = listOf(raw, 'endedBy');
  const answered = single(raw, 'answered');
  if (answered !== undefined) filter.answered = oneOf(answered, ['true', 'false'], 'answered') === 'true';
  const businessHours = single(raw, 'businessHours');
  if (businessHours !== undefined) filter.businessHours = oneOf(businessHours, businessHoursModes, 'businessHours');
  const fields = Object.keys(callOrderFields) as Array<keyof typeof callOrderFields>;
  const orderBy = single(raw, 'orderBy');
  const orderDirection = single(raw, 'orderDirection');
  return {
    filter: filter as CallFilterInput,
    order: {
      field: orderBy === undefined ? 'START' : oneOf(orderBy, fields, 'orderBy'),
      direction: orderDirection === undefined ? 'DESC' : oneOf(orderDirection, ['ASC', 'DESC'] as const, 'orderDirection'),
    },
  };
}
