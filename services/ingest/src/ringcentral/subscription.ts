// Which of the app's webhook subscriptions are this deployment's, and what to do about them: pure rules, no I/O.

export const TELEPHONY_SESSIONS_FILTER = '/restapi/v1.0/account/~/telephony/sessions';
export const EXTENSION_LIST_FILTER = '/restapi/v1.0/account/~/extension';
export const SUBSCRIPTION_PATH = '/restapi/v1.0/subscription';

export interface RcSubscription {
  id: string;
  status?: string;
  eventFilters?: string[];
  expirationTime?: string;
  expiresIn?: number;
  creationTime?: string;
  deliveryMode?: { transportType?: string; address?: string; verificationToken?: string };
  blacklistedData?: { blacklistedAt?: string; reason?: string };
}

export interface WantedSubscription {
  address: string;
  verificationToken?: string;
  expiresIn: number;
  eventFilters: string[];
}

export function wantedSubscription(address: string, verificationToken: string | undefined, expiresIn: number): WantedSubscription {
  return { address, verificationToken, expiresIn, eventFilters: [TELEPHONY_SESSIONS_FILTER, EXTENSION_LIST_FILTER] };
}

/** The body of POST /restapi/v1.0/subscription. */
export function createRequest(wanted: WantedSubscription) {
  return {
    eventFilters: wanted.eventFilters,
    deliveryMode: {
      transportType: 'WebHook',
      address: wanted.address,
      ...(wanted.verificationToken === undefined ? {} : { verificationToken: wanted.verificationToken }),
    },
    expiresIn: wanted.expiresIn,
  };
}

/** RingCentral answers with `~` replaced by the account id: compare filters with the account part as `~`. */
export function normaliseFilter(filter: string): string {
  const [path = '', query] = filter.split('?');
  const normalised = path.replace(/\/account\/[^/]+/, '/account/~').replace(/\/+$/, '');
  return query ? `${normalised}?${query.split('&').sort().join('&')}` : normalised;
}

export function sameFilters(a: string[] | undefined, b: string[]): boolean {
  const left = new Set((a ?? []).map(normaliseFilter));
  const right = new Set(b.map(normaliseFilter));
  return left.size === right.size && [...left].every((filter) => right.has(filter));
}

/** Ours: a webhook to our address. Other addresses belong to someone else and are never touched. */
export function isOurs(subscription: RcSubscription, wanted: WantedSubscription): boolean {
  return subscription.deliveryMode?.transportType === 'WebHook' && subscription.deliveryMode.address === wanted.address;
}

function matches(subscription: RcSubscription, wanted: WantedSubscription): boolean {
  if (!sameFilters(subscription.eventFilters, wanted.eventFilters)) return false;
  // RingCentral may or may not echo the token; when it does, a different one means ours is out of date.
  const token = subscription.deliveryMode?.verificationToken;
  return token === undefined || token === '' || token === wanted.verificationToken;
}

const expiresAt = (subscription: RcSubscription) => (subscription.expirationTime ? Date.parse(subscription.expirationTime) : 0);

export type PlanAction = 'create' | 'reuse' | 'renew' | 'recreate';

export interface SubscriptionPlan {
  action: PlanAction;
  /** The subscription kept (reuse, renew) or replaced (recreate). */
  keep?: RcSubscription;
  /** Our other subscriptions (duplicates, stale filters, blacklisted), to delete. */
  remove: RcSubscription[];
  reason: string;
}

export function planSubscription(
  existing: RcSubscription[],
  wanted: WantedSubscription,
  options: { now: number; renewBeforeMs: number; rememberedId?: string },
): SubscriptionPlan {
  const ours = existing.filter((subscription) => isOurs(subscription, wanted));
  const candidates = ours
    .filter((subscription) => matches(subscription, wanted))
    .sort(
      (a, b) =>
        Number(b.status === 'Active') - Number(a.status === 'Active') ||
        Number(b.id === options.rememberedId) - Number(a.id === options.rememberedId) ||
        expiresAt(b) - expiresAt(a),
    );
  const keep = candidates[0];
  if (!keep)
    return {
      action: 'create',
      remove: ours,
      reason: ours.length ? 'none of ours has the wanted filters and token' : 'no subscription of ours',
    };
  const others = ours.filter((subscription) => subscription !== keep);
  if (keep.status !== 'Active') {
    return {
      action: 'recreate',
      keep,
      remove: ours,
      reason: `status is ${keep.status ?? 'unknown'}${keep.blacklistedData?.reason ? ` (${keep.blacklistedData.reason})` : ''}`,
    };
  }
  const remainingMs = expiresAt(keep) - options.now;
  if (remainingMs < options.renewBeforeMs) {
    return { action: 'renew', keep, remove: others, reason: `expires in ${Math.round(remainingMs / 1000)} s` };
  }
  return { action: 'reuse', keep, remove: others, reason: 'active' };
}
