// This deployment's subscription as remembered in Redis (hash `<prefix>rc:subscription`), read and written: the record
// and its hash fields are the contract's (packages/contracts/src/rc-subscription.ts, which the API's admin view reads
// too). The subscription manager writes it; every ingest instance reads it (which tokens its webhook accepts, /readyz).
import {
  parseRcSubscriptionRecord,
  type RcDisabledFilter,
  type RcSubscriptionRecord,
  type RedisKeys,
  rcSubscriptionFields,
  rcSubscriptionHashFields,
} from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';

export type DisabledFilter = RcDisabledFilter;
export type SubscriptionRecord = RcSubscriptionRecord;

/** The record from the hash's fields; `id` is '' while only a pending token was announced. */
export const parseSubscriptionRecord = parseRcSubscriptionRecord;

/** The remembered subscription; undefined when there is none. */
export async function readSubscriptionRecord(redis: Redis, keys: RedisKeys): Promise<SubscriptionRecord | undefined> {
  const record = parseSubscriptionRecord(await redis.hgetall(keys.subscription));
  return record.id === '' ? undefined : record;
}

/** Replaces the record (one MULTI: readers never see half of it). */
export async function writeSubscriptionRecord(redis: Redis, keys: RedisKeys, record: SubscriptionRecord): Promise<void> {
  await redis.multi().del(keys.subscription).hset(keys.subscription, rcSubscriptionHashFields(record)).exec();
}

/** Announces a token about to be used (before the record of its subscription exists or changes). */
export async function announcePendingToken(redis: Redis, keys: RedisKeys, hash: string, until: number): Promise<void> {
  await redis.hset(keys.subscription, {
    [rcSubscriptionFields.pendingTokenHash]: hash,
    [rcSubscriptionFields.pendingTokenUntil]: String(until),
  });
}
