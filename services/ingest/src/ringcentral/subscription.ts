// Which of the app's webhook subscriptions are this deployment's, and what to do about them: pure rules, no I/O.
// RingCentral never returns a subscription's verification token (NotificationDeliveryMode has transportType, address,
// encryption only): whether ours still carries the configured token is known from the token hash remembered with its id.
import type { DisabledFilter } from './subscription-record.js';
import { tokenMatchesHash } from './token-hash.js';

export const TELEPHONY_SESSIONS_FILTER = '/restapi/v1.0/account/~/telephony/sessions';
export const EXTENSION_LIST_FILTER = '/restapi/v1.0/account/~/extension';
export const SUBSCRIPTION_PATH = '/restapi/v1.0/subscription';

/** SubscriptionInfo as RingCentral answers it (the fields callpulse reads). */
export interface RcSubscription {
  uri?: string;
  id: string;
  status?: string;
  eventFilters?: string[];
  disabledFilters?: Array<Partial<DisabledFilter>>;
  expirationTime?: string;
  expiresIn?: number;
  creationTime?: string;
  deliveryMode?: { transportType?: string; address?: string; encryption?: boolean };
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

/** The body of PUT /restapi/v1.0/subscription/{id} (updateSubscription: filters and lifetime only). */
export function updateRequest(wanted: WantedSubscription) {
  return { eventFilters: wanted.eventFilters, expiresIn: wanted.expiresIn };
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

/**
 * The filters a subscription was asked for: its eventFilters and its disabledFilters together. RingCentral's sources
 * allow both readings of a disabled filter (still listed in eventFilters, or only in disabledFilters): either way the
 * subscription was made with it.
 */
export function requestedFilters(subscription: RcSubscription): string[] {
  return [...(subscription.eventFilters ?? []), ...(subscription.disabledFilters ?? []).flatMap((d) => (d.filter ? [d.filter] : []))];
}

/** The app permission a filter needs (for the log and the admin's message). */
export function permissionFor(filter: string): string | undefined {
  const path = normaliseFilter(filter).split('?')[0];
  if (path === TELEPHONY_SESSIONS_FILTER || /\/telephony\/sessions$/.test(path ?? '')) return 'CallControl';
  if (path === EXTENSION_LIST_FILTER) return 'ReadAccounts';
  return undefined;
}

/** The disabled filters of a subscription, with the fields RingCentral left out as ''. */
export function disabledFiltersOf(subscription: RcSubscription): DisabledFilter[] {
  return (subscription.disabledFilters ?? []).map((d) => ({ filter: d.filter ?? '', reason: d.reason ?? '', message: d.message ?? '' }));
}

/** What a subscription's disabled filters break, for logs and admins; '' when nothing callpulse needs is disabled. */
export function disabledFiltersProblem(subscription: RcSubscription): string {
  return disabledFiltersOf(subscription)
    .map((d) => {
      const permission = permissionFor(d.filter);
      const what =
        permission === 'CallControl'
          ? 'no call events arrive'
          : permission === 'ReadAccounts'
            ? 'extension changes wait for the hourly sync'
            : '';
      const detail = [d.reason, d.message].filter((part) => part !== '').join(': ');
      return `RingCentral disabled ${d.filter || '(unnamed filter)'}${detail ? ` (${detail})` : ''}${what ? `: ${what}` : ''}${
        permission ? `; give the app the ${permission} permission` : ''
      }`;
    })
    .join('; ');
}

/** Ours: a webhook to our address. Other addresses belong to someone else and are never touched. */
export function isOurs(subscription: RcSubscription, wanted: WantedSubscription): boolean {
  return subscription.deliveryMode?.transportType === 'WebHook' && subscription.deliveryMode.address === wanted.address;
}

const expiresAt = (subscription: RcSubscription) => (subscription.expirationTime ? Date.parse(subscription.expirationTime) : 0);

/** Which of our subscriptions was created with which token: the one remembered in Redis, with its token hash. */
export interface Remembered {
  id: string;
  /** undefined for a record written before token hashes were kept: counts as a changed token, once. */
  tokenHash?: string;
}

/** Whether a subscription is known to deliver with the wanted token. */
export function hasWantedToken(subscription: RcSubscription, wanted: WantedSubscription, remembered: Remembered | undefined): boolean {
  return (
    remembered !== undefined &&
    remembered.id === subscription.id &&
    remembered.tokenHash !== undefined &&
    tokenMatchesHash(wanted.verificationToken, remembered.tokenHash)
  );
}

export type PlanAction = 'create' | 'reuse' | 'renew' | 'update' | 'recreate';

export interface SubscriptionPlan {
  action: PlanAction;
  /** The subscription kept (reuse, renew, update) or replaced (recreate). */
  keep?: RcSubscription;
  /** Our other subscriptions (duplicates, stale filters, unknown token, blacklisted), to delete once the new one exists. */
  remove: RcSubscription[];
  reason: string;
}

export function planSubscription(
  existing: RcSubscription[],
  wanted: WantedSubscription,
  options: { now: number; renewBeforeMs: number; remembered?: Remembered },
): SubscriptionPlan {
  const ours = existing.filter((subscription) => isOurs(subscription, wanted));
  const keep = ours
    .filter((subscription) => hasWantedToken(subscription, wanted, options.remembered))
    .sort((a, b) => Number(b.status === 'Active') - Number(a.status === 'Active') || expiresAt(b) - expiresAt(a))[0];
  if (!keep) {
    if (ours.length === 0) return { action: 'create', remove: [], reason: 'no subscription of ours' };
    const remembered = ours.find((subscription) => subscription.id === options.remembered?.id);
    return {
      action: 'create',
      remove: ours,
      reason:
        remembered && options.remembered?.tokenHash === undefined
          ? 'the token of our subscription is not known (kept by an older version): recreating it once with RC_WEBHOOK_VERIFICATION_TOKEN'
          : remembered
            ? 'RC_WEBHOOK_VERIFICATION_TOKEN changed'
            : 'none of ours is known to carry RC_WEBHOOK_VERIFICATION_TOKEN',
    };
  }
  const others = ours.filter((subscription) => subscription !== keep);
  if (keep.status !== 'Active') {
    return {
      action: 'recreate',
      keep,
      remove: ours,
      reason: `status is ${keep.status ?? 'unknown'}${keep.blacklistedData?.reason ? ` (${keep.blacklistedData.reason})` : ''}`,
    };
  }
  const wantedFilters = new Set(wanted.eventFilters.map(normaliseFilter));
  const disabled = disabledFiltersOf(keep).filter((d) => wantedFilters.has(normaliseFilter(d.filter)));
  if (disabled.length > 0) {
    return {
      action: 'recreate',
      keep,
      remove: ours,
      reason: `filters disabled by RingCentral: ${disabledFiltersProblem({ ...keep, disabledFilters: disabled })}`,
    };
  }
  if (!sameFilters(requestedFilters(keep), wanted.eventFilters)) {
    return { action: 'update', keep, remove: others, reason: 'its filters differ from the wanted ones' };
  }
  const remainingMs = expiresAt(keep) - options.now;
  if (remainingMs < options.renewBeforeMs) {
    return { action: 'renew', keep, remove: others, reason: `expires in ${Math.round(remainingMs / 1000)} s` };
  }
  return { action: 'reuse', keep, remove: others, reason: 'active' };
}
