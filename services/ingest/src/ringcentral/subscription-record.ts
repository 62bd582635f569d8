// This deployment's subscription as remembered in Redis (hash `<prefix>rc:subscription`): what RingCentral said of it
// (id, status, expiry, filters, disabled filters, the problem they cause) and the hash of the verification token it
// was created with, plus, for a while after a token change, the previous token's hash and a token about to be used.
// The subscription manager writes it; every ingest instance reads it (which tokens its webhook accepts, /readyz).
import type { RedisKeys } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';

export interface DisabledFilter {
  filter: string;
  reason: string;
  message: string;
}

export interface SubscriptionRecord {
  id: string;
  status: string;
  expirationTime: string;
  address: string;
  eventFilters: string[];
  /** Filters RingCentral did not subscribe (SubscriptionInfo.disabledFilters); [] when none. */
  disabledFilters: DisabledFilter[];
  /** What the disabled filters break, in words for admins; '' when nothing. */
  problem: string;
  /** Hash of the token the subscription delivers with (token-hash.ts); undefined for a record of an older version. */
  tokenHash?: string;
  /** The replaced subscription's token hash, accepted until previousTokenUntil (epoch ms) for deliveries in flight. */
  previousTokenHash?: string;
  previousTokenUntil?: number;
  /** A token a subscription is about to be created with (accepted until pendingTokenUntil), so no instance refuses it. */
  pendingTokenHash?: string;
  pendingTokenUntil?: number;
  updatedAt: number;
}

const text = (value: string | undefined) => value ?? '';
const epoch = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

function parseJson<T>(value: string | undefined, fallback: T): T {
  if (value === undefined || value === '') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** The record from the hash's fields; `id` is '' while only a pending token was announced. */
export function parseSubscriptionRecord(fields: Record<string, string>): SubscriptionRecord {
  return {
    id: text(fields.id),
    status: text(fields.status),
    expirationTime: text(fields.expirationTime),
    address: text(fields.address),
    eventFilters: parseJson<string[]>(fields.eventFilters, []),
    disabledFilters: parseJson<DisabledFilter[]>(fields.disabledFilters, []),
    problem: text(fields.problem),
    tokenHash: fields.tokenHash || undefined,
    previousTokenHash: fields.previousTokenHash || undefined,
    previousTokenUntil: epoch(fields.previousTokenUntil),
    pendingTokenHash: fields.pendingTokenHash || undefined,
    pendingTokenUntil: epoch(fields.pendingTokenUntil),
    updatedAt: epoch(fields.updatedAt) ?? 0,
  };
}

/** The remembered subscription; undefined when there is none. */
export async function readSubscriptionRecord(redis: Redis, keys: RedisKeys): Promise<SubscriptionRecord | undefined> {
  const record = parseSubscriptionRecord(await redis.hgetall(keys.subscription));
  return record.id === '' ? undefined : record;
}

/** Replaces the record (one MULTI: readers never see half of it). */
export async function writeSubscriptionRecord(redis: Redis, keys: RedisKeys, record: SubscriptionRecord): Promise<void> {
  const fields: Record<string, string> = {
    id: record.id,
    status: record.status,
    expirationTime: record.expirationTime,
    address: record.address,
    eventFilters: JSON.stringify(record.eventFilters),
    disabledFilters: JSON.stringify(record.disabledFilters),
    problem: record.problem,
    updatedAt: String(record.updatedAt),
  };
  if (record.tokenHash !== undefined) fields.tokenHash = record.tokenHash;
  if (record.previousTokenHash !== undefined && record.previousTokenUntil !== undefined) {
    fields.previousTokenHash = record.previousTokenHash;
    fields.previousTokenUntil = String(record.previousTokenUntil);
  }
  if (record.pendingTokenHash !== undefined && record.pendingTokenUntil !== undefined) {
    fields.pendingTokenHash = record.pendingTokenHash;
    fields.pendingTokenUntil = String(record.pendingTokenUntil);
  }
  await redis.multi().del(keys.subscription).hset(keys.subscription, fields).exec();
}

/** Announces a token about to be used (before the record of its subscription exists or changes). */
export async function announcePendingToken(redis: Redis, keys: RedisKeys, hash: string, until: number): Promise<void> {
  await redis.hset(keys.subscription, { pendingTokenHash: hash, pendingTokenUntil: String(until) });
}
