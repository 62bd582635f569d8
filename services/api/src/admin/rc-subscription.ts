// The RingCentral subscription's status for admins (rcSubscription): the record ingest's subscription manager keeps in
// Redis (packages/contracts/src/rc-subscription.ts), read as is, plus its health in one word for the admin page's
// colour: ACTIVE (RingCentral delivers, nothing disabled, not expired), EXPIRED (its expiry passed), FAILING
// (Blacklisted, Suspended, any other status, or a problem such as a filter RingCentral disabled) or NONE (no record:
// no ingest instance with RingCentral credentials and a webhook address manages one). The token hashes stay in Redis.
import { parseRcSubscriptionRecord, type RcDisabledFilter, type RcSubscriptionRecord, type RedisKeys } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';

export type SubscriptionHealth = 'ACTIVE' | 'EXPIRED' | 'FAILING' | 'NONE';

export interface RcSubscriptionView {
  health: SubscriptionHealth;
  id: string | null;
  /** RingCentral's status; null when there is none. */
  status: string | null;
  expiresAt: string | null;
  address: string | null;
  eventFilters: string[];
  disabledFilters: RcDisabledFilter[];
  problem: string | null;
  /** When the managing ingest instance last wrote the record (ISO-8601). */
  updatedAt: string | null;
}

const none: RcSubscriptionView = {
  health: 'NONE',
  id: null,
  status: null,
  expiresAt: null,
  address: null,
  eventFilters: [],
  disabledFilters: [],
  problem: null,
  updatedAt: null,
};

/** Pure: the view of a record (undefined or an id '': none) at `nowMs`. */
export function subscriptionView(record: RcSubscriptionRecord | undefined, nowMs: number): RcSubscriptionView {
  if (!record || record.id === '') return none;
  const expiresMs = record.expirationTime ? Date.parse(record.expirationTime) : Number.NaN;
  const expired = Number.isFinite(expiresMs) && expiresMs <= nowMs;
  const health: SubscriptionHealth =
    record.status !== 'Active'
      ? 'FAILING'
      : expired
        ? 'EXPIRED'
        : record.problem !== '' || record.disabledFilters.length
          ? 'FAILING'
          : 'ACTIVE';
  return {
    health,
    id: record.id,
    status: record.status || null,
    expiresAt: Number.isFinite(expiresMs) ? new Date(expiresMs).toISOString() : null,
    address: record.address || null,
    eventFilters: record.eventFilters,
    disabledFilters: record.disabledFilters,
    problem: record.problem || (expired ? `the subscription expired at ${new Date(expiresMs).toISOString()}` : null),
    updatedAt: record.updatedAt > 0 ? new Date(record.updatedAt).toISOString() : null,
  };
}

export async function readRcSubscription(redis: Redis, keys: RedisKeys, nowMs = Date.now()): Promise<RcSubscriptionView> {
  return subscriptionView(parseRcSubscriptionRecord(await redis.hgetall(keys.subscription)), nowMs);
}
