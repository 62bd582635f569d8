// Which verification tokens the webhook accepts, and what /readyz says of the subscription, from the subscription
// record in Redis (re-read every couple of seconds; the last one read is kept while Redis is away). Accepted: the
// configured RC_WEBHOOK_VERIFICATION_TOKEN; the token the live subscription was created with (it may still be the
// previous one until the manager has recreated it); the replaced subscription's token for a short overlap after a
// change (deliveries in flight); a token announced for a subscription being created. All compared as salted hashes,
// in constant time. Without a configured token nothing is checked (as before: ingest then listens on loopback only).
import type { RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import { type DisabledFilter, parseSubscriptionRecord, type SubscriptionRecord } from './subscription-record.js';
import { hashToken, NO_TOKEN, tokenMatchesHash } from './token-hash.js';

export type TokenVerdict =
  | { ok: true; via: 'unverified' | 'configured' | 'subscription' | 'previous' | 'pending' }
  | { ok: false; error: string };

/**
 * The verdict on a presented token (undefined: the request carried none), given the configured token's hash
 * (undefined: verification off) and the subscription record. Pure.
 */
export function judgeToken(
  presented: string | undefined,
  configuredHash: string | undefined,
  record: SubscriptionRecord | undefined,
  now: number,
): TokenVerdict {
  if (configuredHash === undefined) return { ok: true, via: 'unverified' };
  if (presented !== undefined && tokenMatchesHash(presented, configuredHash)) return { ok: true, via: 'configured' };
  const candidates: Array<[string | undefined, 'subscription' | 'previous' | 'pending']> = record
    ? [
        [record.id !== '' ? record.tokenHash : undefined, 'subscription'],
        [(record.previousTokenUntil ?? 0) > now ? record.previousTokenHash : undefined, 'previous'],
        [(record.pendingTokenUntil ?? 0) > now ? record.pendingTokenHash : undefined, 'pending'],
      ]
    : [];
  for (const [hash, via] of candidates) if (hash !== undefined && tokenMatchesHash(presented, hash)) return { ok: true, via };
  return {
    ok: false,
    error:
      presented === undefined
        ? 'missing Verification-Token or Validation-Token header'
        : 'Verification-Token / Validation-Token does not match',
  };
}

/** What /readyz and the API show of the subscription (no token material). */
export interface SubscriptionHealth {
  id: string;
  status: string;
  expirationTime: string;
  /** Filters RingCentral did not subscribe, with its reason and message. */
  disabledFilters: DisabledFilter[];
  /** Set when the subscription cannot deliver what callpulse needs (blacklisted, telephony filter disabled). */
  problem?: string;
}

export function healthOf(record: SubscriptionRecord | undefined): SubscriptionHealth | undefined {
  if (!record || record.id === '') return undefined;
  const problem = record.problem || (record.status !== 'Active' ? `subscription is ${record.status}` : undefined);
  return {
    id: record.id,
    status: record.status,
    expirationTime: record.expirationTime,
    disabledFilters: record.disabledFilters,
    ...(problem ? { problem } : {}),
  };
}

export interface WebhookTokens {
  /** The verdict on the token a webhook request presented (from Verification-Token, or Validation-Token with a body). */
  verify(presented: string | undefined): TokenVerdict;
  /** Our subscription as last read from Redis; undefined when there is none (or Redis was never reached). */
  health(): SubscriptionHealth | undefined;
  /** Reads the record now (the subscription manager calls it after each change). */
  refresh(): Promise<void>;
  stop(): void;
}

export const TOKEN_REFRESH_MS = 2000;

export function watchWebhookTokens(deps: {
  redis: Redis;
  keys: RedisKeys;
  /** RC_WEBHOOK_VERIFICATION_TOKEN. */
  configuredToken: string | undefined;
  logger: Logger;
  intervalMs?: number;
}): WebhookTokens {
  const configuredHash = deps.configuredToken === undefined ? undefined : hashToken(deps.configuredToken);
  let record: SubscriptionRecord | undefined;
  let stopped = false;
  let warnedNoToken = false;

  async function refresh(): Promise<void> {
    const next = parseSubscriptionRecord(await deps.redis.hgetall(deps.keys.subscription));
    record = next;
    const tokenless = next.id !== '' && next.tokenHash === NO_TOKEN;
    if (configuredHash !== undefined && tokenless && !warnedNoToken) {
      deps.logger.warn(
        { subscriptionId: next.id },
        'the live RingCentral subscription has no verification token: webhooks without one are accepted until it is recreated with RC_WEBHOOK_VERIFICATION_TOKEN',
      );
    }
    warnedNoToken = tokenless;
  }

  let reading = false;
  const timer = setInterval(() => {
    if (stopped || reading) return; // while Redis is away, one read waits, not one per tick
    reading = true;
    refresh()
      .catch((err: unknown) => deps.logger.debug({ err }, 'could not read the subscription record; keeping the last one'))
      .finally(() => {
        reading = false;
      });
  }, deps.intervalMs ?? TOKEN_REFRESH_MS);
  timer.unref();

  return {
    verify: (presented) => judgeToken(presented, configuredHash, record, Date.now()),
    health: () => healthOf(record),
    refresh,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
