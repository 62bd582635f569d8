// This deployment's RingCentral subscription as remembered in Redis (redisKeys().subscription, a hash), pure: the
// record, the hash's field names, and the record to and from the hash's fields. Ingest's subscription manager writes
// it (services/ingest/src/ringcentral/subscription-record.ts, through these functions); the API's admin view (rcSubscription) reads it.

export interface RcDisabledFilter {
  filter: string;
  reason: string;
  message: string;
}

export interface RcSubscriptionRecord {
  id: string;
  /** RingCentral's status of it: Active, Suspended, Blacklisted, ... */
  status: string;
  /** ISO-8601, as RingCentral gave it; '' when unknown. */
  expirationTime: string;
  address: string;
  eventFilters: string[];
  /** Filters RingCentral did not subscribe (SubscriptionInfo.disabledFilters); [] when none. */
  disabledFilters: RcDisabledFilter[];
  /** What is wrong with it, in words for admins; '' when nothing. */
  problem: string;
  /** Hash of the token it delivers with; undefined for a record of an older version. */
  tokenHash?: string;
  /** The replaced subscription's token hash, accepted until previousTokenUntil (epoch ms) for deliveries in flight. */
  previousTokenHash?: string;
  previousTokenUntil?: number;
  /** A token a subscription is about to be created with (accepted until pendingTokenUntil). */
  pendingTokenHash?: string;
  pendingTokenUntil?: number;
  /** When the managing ingest instance last wrote it (epoch ms): created, reused, renewed, updated or checked. */
  updatedAt: number;
}

/** The hash's field names. */
export const rcSubscriptionFields = {
  id: 'id',
  status: 'status',
  expirationTime: 'expirationTime',
  address: 'address',
  eventFilters: 'eventFilters',
  disabledFilters: 'disabledFilters',
  problem: 'problem',
  tokenHash: 'tokenHash',
  previousTokenHash: 'previousTokenHash',
  previousTokenUntil: 'previousTokenUntil',
  pendingTokenHash: 'pendingTokenHash',
  pendingTokenUntil: 'pendingTokenUntil',
  updatedAt: 'updatedAt',
} as const satisfies Record<keyof RcSubscriptionRecord, string>;

const f = rcSubscriptionFields;
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

/** The record from the hash's fields; `id` is '' while only a pending token was announced (or nothing is stored). */
export function parseRcSubscriptionRecord(fields: Record<string, string>): RcSubscriptionRecord {
  return {
    id: text(fields[f.id]),
    status: text(fields[f.status]),
    expirationTime: text(fields[f.expirationTime]),
    address: text(fields[f.address]),
    eventFilters: parseJson<string[]>(fields[f.eventFilters], []),
    disabledFilters: parseJson<RcDisabledFilter[]>(fields[f.disabledFilters], []),
    problem: text(fields[f.problem]),
    tokenHash: fields[f.tokenHash] || undefined,
    previousTokenHash: fields[f.previousTokenHash] || undefined,
    previousTokenUntil: epoch(fields[f.previousTokenUntil]),
    pendingTokenHash: fields[f.pendingTokenHash] || undefined,
    pendingTokenUntil: epoch(fields[f.pendingTokenUntil]),
    updatedAt: epoch(fields[f.updatedAt]) ?? 0,
  };
}

/** The hash's fields of a record (written as a whole: delete the hash, then set these in one MULTI). */
export function rcSubscriptionHashFields(record: RcSubscriptionRecord): Record<string, string> {
  const fields: Record<string, string> = {
    [f.id]: record.id,
    [f.status]: record.status,
    [f.expirationTime]: record.expirationTime,
    [f.address]: record.address,
    [f.eventFilters]: JSON.stringify(record.eventFilters),
    [f.disabledFilters]: JSON.stringify(record.disabledFilters),
    [f.problem]: record.problem,
    [f.updatedAt]: String(record.updatedAt),
  };
  if (record.tokenHash !== undefined) fields[f.tokenHash] = record.tokenHash;
  if (record.previousTokenHash !== undefined && record.previousTokenUntil !== undefined) {
    fields[f.previousTokenHash] = record.previousTokenHash;
    fields[f.previousTokenUntil] = String(record.previousTokenUntil);
  }
  if (record.pendingTokenHash !== undefined && record.pendingTokenUntil !== undefined) {
    fields[f.pendingTokenHash] = record.pendingTokenHash;
    fields[f.pendingTokenUntil] = String(record.pendingTokenUntil);
  }
  return fields;
}
