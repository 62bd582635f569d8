// The RingCentral side of ingest in one handle: JWT login, the extension directory in Redis, and this deployment's
// webhook subscription. startRingCentral() for the service (initial sync and check, then on timers); connectRingCentral()
// for the CLI (no timers). The parts are imported from their own modules (no barrel).
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import { ConfigError, type DirectoryCounts, directoryCounts, type Logger, type Redis, type Registry } from '@callpulse/platform';
import { credentialsOf, missingCredentials, type RingCentralConfig } from './config.js';
import { createDirectorySync } from './directory-sync.js';
import { createRcMetrics } from './metrics.js';
import { loginWithJwt } from './platform.js';
import type { RateLimiterOptions } from './rate-limiter.js';
import type { RetryOptions } from './retry.js';
import { wantedSubscription } from './subscription.js';
import { createSubscriptionManager, type SubscriptionOutcome, type SubscriptionSummary } from './subscription-manager.js';
import { createTimers } from './timers.js';
import { TOKEN_REFRESH_MS, type WebhookTokens } from './webhook-tokens.js';

export interface RingCentralDeps {
  config: RingCentralConfig;
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  logger: Logger;
  registry: Registry;
  /** Backoff of RingCentral calls on 429/503 (tests shorten it). */
  retry?: RetryOptions;
  /** The rate limiter's options (tests shorten the 30-60 s wait after a 429 without Retry-After). */
  rateLimits?: RateLimiterOptions;
  /** The webhook's token watcher: re-read at once after the subscription record changed. */
  webhookTokens?: Pick<WebhookTokens, 'refresh'>;
  /** Wait between announcing a changed token and creating its subscription (default: a token refresh and a second). */
  tokenPropagationMs?: number;
}

export interface RingCentralStatus {
  loggedIn: boolean;
  server: string;
  webhookAddress: string | undefined;
  /** Our subscription as RingCentral reports it now; undefined when there is none (or no webhook address). */
  subscription: SubscriptionSummary | undefined;
  directory: DirectoryCounts;
}

export interface RingCentralHandle {
  syncExtensions(): Promise<{ count: number }>;
  ensureSubscription(): Promise<SubscriptionOutcome>;
  recreateSubscription(): Promise<SubscriptionOutcome>;
  /** Deletes this deployment's subscription only (CLI `unsubscribe`). */
  deleteSubscription(): Promise<SubscriptionOutcome>;
  /** Body (or whole notification) of an extension-list event; applied after a debounce. Bad input is logged and ignored. */
  onExtensionListEvent(body: unknown): void;
  status(): Promise<RingCentralStatus>;
  stop(): Promise<void>;
}

const LOGOUT_TIMEOUT_MS = 3000;

/** Logs in and returns the handle without starting timers or doing any work; undefined without credentials. */
export async function connectRingCentral(deps: RingCentralDeps): Promise<RingCentralHandle | undefined> {
  const { config, redis, keys, channels, registry } = deps;
  const logger = deps.logger.child({ component: 'ringcentral' });
  const missing = missingCredentials(config);
  if (missing.length > 0)
    throw new ConfigError(
      missing.map((name) => `${name}: is required when any of RC_CLIENT_ID, RC_CLIENT_SECRET, RC_JWT is set (missing)`),
    );
  const credentials = credentialsOf(config);
  if (!credentials) return undefined;

  const abort = new AbortController();
  const metrics = createRcMetrics(registry);
  const api = await loginWithJwt(credentials, {
    logger,
    retry: deps.retry,
    signal: abort.signal,
    onRetry: (status) => metrics.apiRetries.inc({ status }),
    rateLimits: deps.rateLimits,
    onPause: (group, cause) => metrics.rateLimitPauses.inc({ group, cause }),
  });
  const address = config.RC_WEBHOOK_ADDRESS;
  const directory = createDirectorySync({
    api,
    redis,
    keys,
    channels,
    logger,
    metrics,
    debounceMs: config.RC_EXTENSION_EVENT_DEBOUNCE_MS,
    signal: abort.signal,
  });
  const subscriptions = createSubscriptionManager({
    api,
    redis,
    keys,
    logger,
    metrics,
    wanted: address ? wantedSubscription(address, config.RC_WEBHOOK_VERIFICATION_TOKEN, config.RC_SUBSCRIPTION_EXPIRES_IN) : undefined,
    renewBeforeMs: config.RC_SUBSCRIPTION_RENEW_BEFORE_S * 1000,
    tokenOverlapMs: config.RC_WEBHOOK_TOKEN_OVERLAP_S * 1000,
    tokenPropagationMs: deps.tokenPropagationMs ?? TOKEN_REFRESH_MS + 1000,
    onRecordChanged: deps.webhookTokens ? () => deps.webhookTokens?.refresh() ?? Promise.resolve() : undefined,
  });
  let loggedIn = true;
  let stopping: Promise<void> | undefined;

  return {
    syncExtensions: () => directory.syncAll(),
    ensureSubscription: () => subscriptions.ensure(),
    recreateSubscription: () => subscriptions.recreate(),
    deleteSubscription: () => subscriptions.remove(),
    onExtensionListEvent: (body) => directory.onExtensionListEvent(body),
    status: async () => ({
      loggedIn,
      server: credentials.server,
      webhookAddress: address,
      subscription: address ? await subscriptions.current() : undefined,
      directory: await directoryCounts(redis, keys),
    }),
    stop() {
      stopping ??= (async () => {
        abort.abort();
        await directory.stop();
        loggedIn = false;
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, LOGOUT_TIMEOUT_MS).unref());
        await Promise.race([api.logout().catch((err: unknown) => logger.warn({ err }, 'RingCentral logout failed')), timeout]);
        logger.info('RingCentral side stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Logs in, syncs the directory, ensures the subscription, then repeats both on their intervals (timers unref'd).
 * Returns undefined (webhook-only, said once in the log) without credentials; throws RingCentralLoginError when login is refused.
 */
export async function startRingCentral(deps: RingCentralDeps): Promise<RingCentralHandle | undefined> {
  const { config } = deps;
  const logger = deps.logger.child({ component: 'ringcentral' });
  const handle = await connectRingCentral(deps);
  if (!handle) {
    logger.info(
      'RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT are not set: running webhook-only (no directory sync, no subscription management)',
    );
    return undefined;
  }
  if (!config.RC_WEBHOOK_ADDRESS) logger.info('RC_WEBHOOK_ADDRESS is not set: syncing the directory but not managing a subscription');
  else if (!config.RC_WEBHOOK_ADDRESS.startsWith('https:'))
    logger.warn(
      { address: config.RC_WEBHOOK_ADDRESS },
      'RC_WEBHOOK_ADDRESS is not https: RingCentral itself only delivers to https addresses',
    );

  const timers = createTimers((what, err) => logger.error({ err }, `${what} failed`));

  await handle
    .syncExtensions()
    .catch((err: unknown) => logger.error({ err }, 'initial extension directory sync failed; will retry on schedule'));
  if (config.RC_WEBHOOK_ADDRESS) {
    await handle
      .ensureSubscription()
      .catch((err: unknown) => logger.error({ err }, 'initial subscription check failed; will retry on schedule'));
  }
  timers.every(config.RC_DIRECTORY_SYNC_INTERVAL_MS, 'scheduled extension directory sync', () => handle.syncExtensions());
  if (config.RC_WEBHOOK_ADDRESS)
    timers.every(config.RC_SUBSCRIPTION_CHECK_INTERVAL_MS, 'scheduled subscription check', () => handle.ensureSubscription());

  return {
    ...handle,
    stop: async () => {
      timers.stop();
      await handle.stop();
    },
  };
}
