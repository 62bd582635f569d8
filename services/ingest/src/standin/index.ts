// A local RingCentral stand-in: start({extensions, ...}) on port 0, point RC_SERVER_URL at its url, drive it from tests or
// the simulator (seed extensions, blacklist a subscription, inject 429/503, deliver notifications), close() when done.
import { randomUUID } from 'node:crypto';
import { type Fault, type RecordedRequest, StandInAccount, type StandInCredentials, type StandInSubscription } from './account.js';
import { type StandInExtension, seedExtensions } from './extensions.js';
import { buildStandInApp } from './server.js';
import { deliver } from './webhook.js';

export type { Fault, RecordedRequest, StandInCredentials, StandInSubscription } from './account.js';
export { type SeedOptions, type StandInExtension, seedExtensions } from './extensions.js';

export interface StandInOptions {
  /** The account's extensions, or how many to seed with seedExtensions(). */
  extensions?: StandInExtension[] | number;
  accountId?: string;
  credentials?: Partial<StandInCredentials>;
  /** Do the Validation-Token handshake with the address on subscription create, as RingCentral does (default false). */
  validateWebhooks?: boolean;
  host?: string;
  port?: number;
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
  subscriptions(): StandInSubscription[];
  /** Adds a subscription directly, e.g. another deployment's (a different address). */
  addSubscription(input: { address: string; eventFilters?: string[]; expiresIn?: number; verificationToken?: string }): StandInSubscription;
  blacklist(subscriptionId: string, reason?: string): void;
  setExpiration(subscriptionId: string, expiresAt: Date): void;
  /** The next `count` requests matching (method, path) get `status` (429 or 503), with Retry-After when given. */
  failNext(fault: { status: 429 | 503; count?: number; retryAfterSeconds?: number; method?: string; path?: string | RegExp }): void;
  /** Expires every access token: the next call must refresh. */
  expireAccessTokens(): void;
  /** POSTs a notification to every active subscription whose filters cover `event`; returns their HTTP statuses. */
  deliver(notification: { event: string; body: unknown }): Promise<Array<{ subscriptionId: string; status: number }>>;
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
  const account = new StandInAccount(options.accountId ?? '400000001', credentials, extensions);
  let url = '';
  const app = buildStandInApp(account, { baseUrl: () => url, validateWebhooks: options.validateWebhooks ?? false });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  url = address.replace(/\/+$/, '');

  const subscription = (id: string) => {
    const found = account.subscriptions.get(id);
    if (!found) throw new Error(`stand-in has no subscription ${id}`);
    return found;
  };

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
    subscriptions: () => [...account.subscriptions.values()].map((s) => account.view(s)),
    addSubscription: (input) =>
      account.createSubscription({
        address: input.address,
        eventFilters: input.eventFilters ?? ['/restapi/v1.0/account/~/telephony/sessions'],
        expiresIn: input.expiresIn ?? 604800,
        verificationToken: input.verificationToken,
      }),
    blacklist(id, reason = 'Webhook responses are not successful') {
      const found = subscription(id);
      found.status = 'Blacklisted';
      found.blacklistedData = { blacklistedAt: new Date().toISOString(), reason };
    },
    setExpiration(id, expiresAt) {
      subscription(id).expirationTime = expiresAt.toISOString();
    },
    failNext(fault) {
      const { count = 1, ...rest } = fault;
      account.faults.push({ ...rest, remaining: count } as Fault);
    },
    expireAccessTokens: () => account.expireAccessTokens(),
    async deliver(notification) {
      const targets = [...account.subscriptions.values()].filter(
        (s) => s.status === 'Active' && s.eventFilters.some((f) => covers(f, notification.event)),
      );
      return Promise.all(
        targets.map(async (target) => ({
          subscriptionId: target.id,
          status: await deliver(
            target.deliveryMode.address,
            {
              uuid: randomUUID(),
              timestamp: new Date().toISOString(),
              subscriptionId: target.id,
              ownerId: account.ownerId(),
              ...notification,
            },
            target.deliveryMode.verificationToken,
          ),
        })),
      );
    },
    close: () => app.close(),
  };
}
