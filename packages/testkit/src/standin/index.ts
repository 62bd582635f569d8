// A local RingCentral stand-in, as strict as RingCentral's published rules: start({extensions, ...}) on port 0, point
// RC_SERVER_URL at its url, drive it from tests (seed extensions, take a permission away, blacklist a subscription,
// inject 429/503, deliver notifications), close() when done. By default it does the webhook handshake on create,
// enforces RingCentral's default rate limits, never answers a verification token, and blacklists a subscription whose
// webhook fails a delivery.
import { randomUUID } from 'node:crypto';
import {
  type DisabledFilterStyle,
  type Fault,
  type RecordedRequest,
  StandInAccount,
  type StandInCredentials,
  type StandInSubscription,
} from './account.js';
import { type StandInExtension, seedExtensions } from './extensions.js';
import { type RateLimitGroup, type RateLimitOptions, RateLimits } from './rate-limits.js';
import { buildStandInApp } from './server.js';
import { deliver, type TokenHeader } from './webhook.js';

export type { DisabledFilterStyle, Fault, RecordedRequest, StandInCredentials, StandInSubscription } from './account.js';
export { type SeedOptions, type StandInExtension, seedExtensions } from './extensions.js';
export type { RateLimitGroup, RateLimitOptions } from './rate-limits.js';
export type { TokenHeader } from './webhook.js';

/** The permissions of a REST app that does what callpulse needs. */
export const DEFAULT_PERMISSIONS = ['ReadAccounts', 'CallControl', 'WebhookSubscriptions'];

export interface StandInOptions {
  /** The account's extensions, or how many to seed with seedExtensions(). */
  extensions?: StandInExtension[] | number;
  accountId?: string;
  credentials?: Partial<StandInCredentials>;
  /**
   * The Validation-Token handshake with the address on subscription create, as RingCentral does (default true); false
   * only for tests that subscribe an address nobody listens on.
   */
  validateWebhooks?: boolean;
  /** The app's permissions (default DEFAULT_PERMISSIONS); without CallControl, telephony filters are disabled. */
  permissions?: string[];
  /** 'removed' (default): a disabled filter is only in disabledFilters; 'listed': in eventFilters too. */
  disabledFilterStyle?: DisabledFilterStyle;
  /** User-level rate limits (default RingCentral's: light 50, medium 40, heavy 10, auth 5 a minute; 60 s penalty); false: none. */
  rateLimits?: RateLimitOptions | false;
  /** The header carrying the verification token in deliveries (default Verification-Token; the current guide says Validation-Token). */
  tokenHeader?: TokenHeader;
  /** Failed deliveries in a row that blacklist a subscription (default 1: RingCentral documents no tolerance). */
  blacklistAfterFailures?: number;
  host?: string;
  port?: number;
}

export interface Delivery {
  subscriptionId: string;
  /** The webhook's HTTP status; 0 without a complete answer (unreachable, timed out). */
  status: number;
  /** Why the delivery counts as failed (RingCentral's blacklist reason); undefined when delivered. */
  failure?: string;
}

export interface StandIn {
  /** Base URL, for RC_SERVER_URL. */
  url: string;
  accountId: string;
  credentials: StandInCredentials;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  extensions(): StandInExtension[];
  setExtensions(extensions: StandInExtension[]): void;
  putExtension(extension: StandInExtension): void;
  removeExtension(id: number | string): void;
  /** The app's permissions now; changing them affects subscriptions created or updated afterwards. */
  setPermissions(permissions: string[]): void;
  subscriptions(): StandInSubscription[];
  /** The token a subscription delivers with (RingCentral never tells; tests may ask). */
  verificationTokenOf(subscriptionId: string): string | undefined;
  /** Adds a subscription directly, e.g. another deployment's (a different address). */
  addSubscription(input: { address: string; eventFilters?: string[]; expiresIn?: number; verificationToken?: string }): StandInSubscription;
  blacklist(subscriptionId: string, reason?: string): void;
  setExpiration(subscriptionId: string, expiresAt: Date): void;
  /** The next `count` requests matching (method, path) get `status` (429 or 503), with Retry-After when given. */
  failNext(fault: { status: 429 | 503; count?: number; retryAfterSeconds?: number; method?: string; path?: string | RegExp }): void;
  /** 429s answered by each rate-limit group (the penalties). */
  rateLimited(): Record<RateLimitGroup, number>;
  /** Expires every access token: the next call must refresh. */
  expireAccessTokens(): void;
  /**
   * POSTs a notification to every active subscription whose filters cover `event`, as RingCentral does; a failed
   * delivery (not 200, timed out, answer over 1,024 bytes, unreachable) counts towards blacklisting the subscription.
   */
  deliver(notification: { event: string; body: unknown }): Promise<Delivery[]>;
  close(): Promise<void>;
}

const accountPart = (path: string) => path.split('?')[0]?.replace(/\/account\/[^/]+/, '/account/~') ?? '';

function covers(filter: string, event: string): boolean {
  const f = accountPart(filter);
  const e = accountPart(event).replace(/\/extension\/[^/]+\/telephony\/sessions$/, '/telephony/sessions');
  return f === e;
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const credentials: StandInCredentials = {
    clientId: options.credentials?.clientId ?? 'standin-client-id',
    clientSecret: options.credentials?.clientSecret ?? 'standin-client-secret',
    jwt: options.credentials?.jwt ?? `standin-jwt-${randomUUID()}`,
  };
  const extensions =
    typeof options.extensions === 'number' ? seedExtensions(options.extensions) : (options.extensions ?? seedExtensions(10));
  let url = '';
  const baseUrl = () => url;
  const account = new StandInAccount(
    options.accountId ?? '400000001',
    credentials,
    extensions,
    baseUrl,
    new Set(options.permissions ?? DEFAULT_PERMISSIONS),
    options.disabledFilterStyle ?? 'removed',
  );
  account.rateLimits = options.rateLimits === false ? undefined : new RateLimits(options.rateLimits ?? {});
  const tokenHeader = options.tokenHeader ?? 'Verification-Token';
  const blacklistAfter = Math.max(1, options.blacklistAfterFailures ?? 1);
  const app = buildStandInApp(account, { baseUrl, validateWebhooks: options.validateWebhooks ?? true });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  url = address.replace(/\/+$/, '');

  const subscription = (id: string) => {
    const found = account.subscriptions.get(id);
    if (!found) throw new Error(`stand-in has no subscription ${id}`);
    return found;
  };

  async function deliverTo(target: StandInSubscription, notification: { event: string; body: unknown }): Promise<Delivery> {
    const answer = await deliver(
      target.deliveryMode.address,
      {
        uuid: randomUUID(),
        timestamp: new Date().toISOString(),
        subscriptionId: target.id,
        ownerId: account.ownerId(),
        ...notification,
      },
      account.verificationTokens.get(target.id),
      tokenHeader,
    );
    if (answer.failure === undefined) {
      account.deliveryFailures.set(target.id, 0);
      return { subscriptionId: target.id, status: answer.status };
    }
    const failures = (account.deliveryFailures.get(target.id) ?? 0) + 1;
    account.deliveryFailures.set(target.id, failures);
    if (failures >= blacklistAfter) account.blacklist(target.id, answer.failure);
    return { subscriptionId: target.id, status: answer.status, failure: answer.failure };
  }

  return {
    url,
    accountId: account.accountId,
    credentials,
    requests: account.requests,
    extensions: () => [...account.extensions.values()],
    setExtensions(list) {
      account.extensions.clear();
      for (const extension of list) account.extensions.set(extension.id, extension);
    },
    putExtension: (extension) => void account.extensions.set(extension.id, extension),
    removeExtension: (id) => void account.extensions.delete(Number(id)),
    setPermissions(permissions) {
      account.permissions.clear();
      for (const permission of permissions) account.permissions.add(permission);
    },
    subscriptions: () => [...account.subscriptions.values()].map((s) => account.view(s)),
    verificationTokenOf: (id) => account.verificationTokens.get(subscription(id).id),
    addSubscription: (input) =>
      account.createSubscription({
        address: input.address,
        eventFilters: input.eventFilters ?? ['/restapi/v1.0/account/~/telephony/sessions'],
        expiresIn: input.expiresIn ?? 604800,
        verificationToken: input.verificationToken,
      }),
    blacklist(id, reason = 'Webhook responses with code: [503], reason: [Service Unavailable]') {
      account.blacklist(subscription(id).id, reason);
    },
    setExpiration(id, expiresAt) {
      subscription(id).expirationTime = expiresAt.toISOString();
    },
    failNext(fault) {
      const { count = 1, ...rest } = fault;
      account.faults.push({ ...rest, remaining: count } as Fault);
    },
    rateLimited: () => ({ ...(account.rateLimits?.rejected ?? { light: 0, medium: 0, heavy: 0, auth: 0 }) }),
    expireAccessTokens: () => account.expireAccessTokens(),
    async deliver(notification) {
      // A disabled filter delivers nothing, whether or not it is still listed in eventFilters.
      const delivering = (s: StandInSubscription) => {
        const disabled = new Set((s.disabledFilters ?? []).map((entry) => entry.filter));
        return s.eventFilters.filter((filter) => !disabled.has(filter));
      };
      const targets = [...account.subscriptions.values()].filter(
        (s) => s.status === 'Active' && delivering(s).some((f) => covers(f, notification.event)),
      );
      return Promise.all(targets.map((target) => deliverTo(target, notification)));
    },
    close: () => app.close(),
  };
}
