// The stand-in's in-memory account: credentials and tokens, extensions, the app's permissions and subscriptions (with
// the verification tokens it never answers), rate limits, injected faults and the log of requests received. Tests
// drive it through StandIn (index.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { StandInExtension } from './extensions.js';
import type { RateLimits } from './rate-limits.js';

export interface StandInCredentials {
  clientId: string;
  clientSecret: string;
  jwt: string;
}

/** SubscriptionInfo as RingCentral answers it: never the verification token (NotificationDeliveryMode has none). */
export interface StandInSubscription {
  uri: string;
  id: string;
  creationTime: string;
  status: 'Active' | 'Blacklisted';
  eventFilters: string[];
  /** Filters RingCentral did not subscribe, e.g. for a permission the app lacks. */
  disabledFilters?: Array<{ filter: string; reason: string; message: string }>;
  expirationTime: string;
  expiresIn: number;
  deliveryMode: { transportType: 'WebHook'; address: string; encryption: false };
  blacklistedData?: { blacklistedAt: string; reason: string };
}

/** How the stand-in treats a filter the app lacks the permission for (RingCentral's sources allow both readings). */
export type DisabledFilterStyle = 'removed' | 'listed';

/** 403 SUB-505: more than 30 subscriptions for the (user, app). */
export class SubscriptionLimitError extends Error {}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Arrival time, epoch ms. */
  at: number;
  /** Status answered, once answered. */
  status?: number;
  /** Parsed body of POST/PUT requests (token requests excluded). */
  body?: unknown;
  /** The rate-limit group RingCentral counts it in. */
  group?: string;
}

export interface Fault {
  status: 429 | 503;
  /** How many matching requests get it. */
  remaining: number;
  retryAfterSeconds?: number;
  method?: string;
  /** Matches the request path (without query): exact string or RegExp. */
  path?: string | RegExp;
}

export interface Token {
  access: string;
  refresh: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

export const ACCESS_TOKEN_TTL_S = 3600;
export const REFRESH_TOKEN_TTL_S = 604800;
export const MAX_EXPIRES_IN_S = 315360000;
export const DEFAULT_EXPIRES_IN_S = 604800;
/** RingCentral: "Subscriptions are currently limited to 30 subscriptions per user/extension (for particular application)". */
export const MAX_SUBSCRIPTIONS = 30;

/** The app permission each event filter needs: telephony sessions need CallControl, the extension list ReadAccounts. */
export function permissionFor(filter: string): string | undefined {
  const path = filter.split('?')[0] ?? '';
  if (/\/telephony\/sessions$/.test(path)) return 'CallControl';
  if (/^\/restapi\/v1\.0\/account\/[^/]+\/extension$/.test(path)) return 'ReadAccounts';
  return undefined;
}

export class StandInAccount {
  readonly extensions = new Map<number, StandInExtension>();
  readonly subscriptions = new Map<string, StandInSubscription>();
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** The verification token each subscription was created with: used for delivery, never answered. */
  readonly verificationTokens = new Map<string, string | undefined>();
  /** Consecutive failed deliveries per subscription (a success resets it). */
  readonly deliveryFailures = new Map<string, number>();
  /** User-level rate limits of the (user, app); undefined: unlimited. */
  rateLimits: RateLimits | undefined;
  private readonly tokens = new Map<string, Token>();

  constructor(
    readonly accountId: string,
    readonly credentials: StandInCredentials,
    extensions: StandInExtension[],
    readonly baseUrl: () => string,
    /** The app's permissions (RingCentral's app settings). */
    readonly permissions: Set<string>,
    readonly disabledFilterStyle: DisabledFilterStyle = 'removed',
  ) {
    for (const extension of extensions) this.extensions.set(extension.id, extension);
  }

  /** The extension the JWT belongs to: the first enabled user. */
  ownerId(): string {
    for (const extension of this.extensions.values())
      if (extension.type === 'User' && extension.status === 'Enabled') return String(extension.id);
    return '1';
  }

  issueToken(now = Date.now()): Token {
    const token: Token = {
      access: randomBytes(24).toString('base64url'),
      refresh: randomBytes(24).toString('base64url'),
      accessExpiresAt: now + ACCESS_TOKEN_TTL_S * 1000,
      refreshExpiresAt: now + REFRESH_TOKEN_TTL_S * 1000,
    };
    this.tokens.set(token.access, token);
    return token;
  }

  refreshToken(refresh: string, now = Date.now()): Token | undefined {
    for (const [access, token] of this.tokens) {
      if (token.refresh !== refresh) continue;
      this.tokens.delete(access);
      return token.refreshExpiresAt > now ? this.issueToken(now) : undefined;
    }
    return undefined;
  }

  revoke(token: string): void {
    for (const [access, issued] of this.tokens) if (access === token || issued.refresh === token) this.tokens.delete(access);
  }

  validAccessToken(access: string, now = Date.now()): boolean {
    const token = this.tokens.get(access);
    return token !== undefined && token.accessExpiresAt > now;
  }

  /** Makes every access token expired (the SDK then refreshes). */
  expireAccessTokens(): void {
    for (const token of this.tokens.values()) token.accessExpiresAt = 0;
  }

  /** The first fault matching the request, counted down; undefined when none. */
  takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === undefined || candidate.method === method) &&
        (candidate.path === undefined || (typeof candidate.path === 'string' ? candidate.path === path : candidate.path.test(path))),
    );
    if (fault) fault.remaining--;
    return fault;
  }

  createSubscription(
    input: { eventFilters: string[]; address: string; verificationToken?: string; expiresIn: number },
    now = Date.now(),
  ): StandInSubscription {
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) throw new SubscriptionLimitError('Subscriptions limit exceeded');
    const id = randomUUID();
    const subscription: StandInSubscription = {
      uri: `${this.baseUrl()}/restapi/v1.0/subscription/${id}`,
      id,
      creationTime: new Date(now).toISOString(),
      status: 'Active',
      eventFilters: [],
      expirationTime: new Date(now + input.expiresIn * 1000).toISOString(),
      expiresIn: input.expiresIn,
      deliveryMode: { transportType: 'WebHook', address: input.address, encryption: false },
    };
    this.setFilters(subscription, input.eventFilters);
    this.subscriptions.set(subscription.id, subscription);
    this.verificationTokens.set(subscription.id, input.verificationToken);
    return subscription;
  }

  /** Sets the filters as RingCentral would: `~` replaced by the account id, those lacking a permission disabled. */
  setFilters(subscription: StandInSubscription, filters: string[]): void {
    // RingCentral answers with `~` replaced by the account id.
    const expanded = filters.map((filter) => filter.replace('/account/~', `/account/${this.accountId}`));
    const disabled = expanded.flatMap((filter) => {
      const permission = permissionFor(filter);
      return permission && !this.permissions.has(permission)
        ? [{ filter, reason: 'PermissionMissing', message: `Required application permission [${permission}] is missing` }]
        : [];
    });
    const disabledNames = new Set(disabled.map((entry) => entry.filter));
    subscription.eventFilters = this.disabledFilterStyle === 'listed' ? expanded : expanded.filter((filter) => !disabledNames.has(filter));
    if (disabled.length > 0) subscription.disabledFilters = disabled;
    else delete subscription.disabledFilters;
  }

  deleteSubscription(id: string): boolean {
    this.verificationTokens.delete(id);
    this.deliveryFailures.delete(id);
    return this.subscriptions.delete(id);
  }

  blacklist(id: string, reason: string, now = Date.now()): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return;
    subscription.status = 'Blacklisted';
    subscription.blacklistedData = { blacklistedAt: new Date(now).toISOString(), reason };
  }

  renewSubscription(id: string, now = Date.now(), expiresIn?: number): StandInSubscription | undefined {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return undefined;
    if (expiresIn !== undefined) subscription.expiresIn = expiresIn;
    subscription.expirationTime = new Date(now + subscription.expiresIn * 1000).toISOString();
    return subscription;
  }

  /** Seconds left of a subscription, as RingCentral reports `expiresIn` on reads. */
  view(subscription: StandInSubscription, now = Date.now()) {
    return { ...subscription, expiresIn: Math.max(0, Math.floor((Date.parse(subscription.expirationTime) - now) / 1000)) };
  }
}
