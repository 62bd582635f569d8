// The stand-in's in-memory account: credentials and tokens, extensions, the app's subscriptions, injected faults and
// the log of requests received. Tests and the simulator drive it through StandIn (index.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { StandInExtension } from './extensions.js';

export interface StandInCredentials {
  clientId: string;
  clientSecret: string;
  jwt: string;
}

export interface StandInSubscription {
  id: string;
  creationTime: string;
  status: 'Active' | 'Suspended' | 'Blacklisted';
  eventFilters: string[];
  expirationTime: string;
  expiresIn: number;
  deliveryMode: { transportType: 'WebHook'; address: string; verificationToken?: string; encryption: false };
  blacklistedData?: { blacklistedAt: string; reason: string };
}

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
const MAX_SUBSCRIPTIONS = 30;

export class StandInAccount {
  readonly extensions = new Map<number, StandInExtension>();
  readonly subscriptions = new Map<string, StandInSubscription>();
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  private readonly tokens = new Map<string, Token>();

  constructor(
    readonly accountId: string,
    readonly credentials: StandInCredentials,
    extensions: StandInExtension[],
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
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) throw new Error(`at most ${MAX_SUBSCRIPTIONS} subscriptions per user and app`);
    const subscription: StandInSubscription = {
      id: randomUUID(),
      creationTime: new Date(now).toISOString(),
      status: 'Active',
      // RingCentral answers with `~` replaced by the account id.
      eventFilters: input.eventFilters.map((filter) => filter.replace('/account/~', `/account/${this.accountId}`)),
      expirationTime: new Date(now + input.expiresIn * 1000).toISOString(),
      expiresIn: input.expiresIn,
      deliveryMode: {
        transportType: 'WebHook',
        address: input.address,
        ...(input.verificationToken === undefined ? {} : { verificationToken: input.verificationToken }),
        encryption: false,
      },
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  renewSubscription(id: string, now = Date.now()): StandInSubscription | undefined {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return undefined;
    subscription.expirationTime = new Date(now + subscription.expiresIn * 1000).toISOString();
    return subscription;
  }

  /** Seconds left of a subscription, as RingCentral reports `expiresIn` on reads. */
  view(subscription: StandInSubscription, now = Date.now()) {
    return { ...subscription, expiresIn: Math.max(0, Math.floor((Date.parse(subscription.expirationTime) - now) / 1000)) };
  }
}
