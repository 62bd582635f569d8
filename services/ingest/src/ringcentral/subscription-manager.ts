// Keeps exactly one webhook subscription of this deployment: finds and reuses it, renews it before expiry, updates its
// filters, recreates it when blacklisted, when RingCentral disabled a filter callpulse needs, or when the verification
// token changed (a new one first, then the old one deleted: no moment without a subscription), deletes our duplicates
// (same address) and nothing else. It remembers the subscription in Redis with its token's hash (subscription-record.ts).
// One ingest instance at a time (Redis lock).
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisKeys } from '@callpulse/contracts';
import { type Logger, type Redis, withLock } from '@callpulse/platform';
import type { RcMetrics } from './metrics.js';
import type { RcApi, RingCentralApiError } from './platform.js';
import {
  createRequest,
  disabledFiltersOf,
  disabledFiltersProblem,
  planSubscription,
  type RcSubscription,
  SUBSCRIPTION_PATH,
  updateRequest,
  type WantedSubscription,
} from './subscription.js';
import {
  announcePendingToken,
  type DisabledFilter,
  readSubscriptionRecord,
  type SubscriptionRecord,
  writeSubscriptionRecord,
} from './subscription-record.js';
import { hashToken, tokenMatchesHash } from './token-hash.js';

export interface SubscriptionSummary {
  id: string;
  status: string;
  expirationTime: string;
  address: string;
  eventFilters: string[];
  /** Filters RingCentral did not subscribe (e.g. telephony sessions when the app lacks CallControl). */
  disabledFilters: DisabledFilter[];
  /** What is wrong with it for callpulse, when something is. */
  problem?: string;
}

export type SubscriptionAction = 'created' | 'reused' | 'renewed' | 'updated' | 'recreated' | 'deleted' | 'locked' | 'disabled';

export interface SubscriptionOutcome {
  action: SubscriptionAction;
  subscription?: SubscriptionSummary;
  /** Ids of our subscriptions deleted on the way (duplicates, blacklisted, replaced). */
  deleted: string[];
}

export interface SubscriptionManagerDeps {
  api: RcApi;
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  metrics: RcMetrics;
  /** undefined when RC_WEBHOOK_ADDRESS is not set. */
  wanted: WantedSubscription | undefined;
  renewBeforeMs: number;
  /** How long the replaced subscription's token stays accepted after a token change (deliveries in flight). */
  tokenOverlapMs: number;
  /**
   * Before creating a subscription with a changed token, how long to wait after announcing it in Redis, so every ingest
   * instance accepts it before RingCentral delivers with it (a little more than their refresh interval).
   */
  tokenPropagationMs: number;
  /** Called after the Redis record changed (this process's webhook re-reads it at once). */
  onRecordChanged?: () => Promise<void>;
  lockTtlMs?: number;
}

const summary = (subscription: RcSubscription): SubscriptionSummary => {
  const problem =
    subscription.status !== undefined && subscription.status !== 'Active'
      ? `subscription is ${subscription.status}${subscription.blacklistedData?.reason ? ` (${subscription.blacklistedData.reason})` : ''}`
      : disabledFiltersProblem(subscription);
  return {
    id: subscription.id,
    status: subscription.status ?? 'Unknown',
    expirationTime: subscription.expirationTime ?? '',
    address: subscription.deliveryMode?.address ?? '',
    eventFilters: subscription.eventFilters ?? [],
    disabledFilters: disabledFiltersOf(subscription),
    ...(problem ? { problem } : {}),
  };
};

export function createSubscriptionManager(deps: SubscriptionManagerDeps) {
  const { api, redis, keys, logger, metrics, wanted } = deps;
  const lockTtlMs = deps.lockTtlMs ?? 5 * 60 * 1000;

  const list = async () => (await api.get<{ records?: RcSubscription[] }>(SUBSCRIPTION_PATH)).records ?? [];

  /** Writes the record of the subscription now in use; `tokenHash` is the hash of the token it delivers with. */
  async function remember(
    subscription: RcSubscription,
    tokenHash: string | undefined,
    previous: Pick<SubscriptionRecord, 'previousTokenHash' | 'previousTokenUntil'>,
  ): Promise<SubscriptionSummary> {
    const kept = summary(subscription);
    await writeSubscriptionRecord(redis, keys, {
      id: kept.id,
      status: kept.status,
      expirationTime: kept.expirationTime,
      address: kept.address,
      eventFilters: kept.eventFilters,
      disabledFilters: kept.disabledFilters,
      problem: kept.problem ?? '',
      tokenHash,
      ...previous,
      updatedAt: Date.now(),
    });
    await deps.onRecordChanged?.().catch((err: unknown) => logger.warn({ err }, 'could not re-read the subscription record'));
    metrics.subscriptionDisabledFilters.set(kept.disabledFilters.length);
    if (kept.disabledFilters.length > 0) {
      logger.error(
        { subscriptionId: kept.id, disabledFilters: kept.disabledFilters },
        `RingCentral subscription does not deliver everything callpulse needs: ${kept.problem}`,
      );
    }
    return kept;
  }

  /** The previous token fields to keep: the ones still running, unless a newer change replaces them. */
  const stillRunning = (record: SubscriptionRecord | undefined) =>
    record?.previousTokenHash !== undefined && (record.previousTokenUntil ?? 0) > Date.now()
      ? { previousTokenHash: record.previousTokenHash, previousTokenUntil: record.previousTokenUntil }
      : {};

  async function remove(subscription: RcSubscription, why: string): Promise<void> {
    try {
      await api.delete(`${SUBSCRIPTION_PATH}/${encodeURIComponent(subscription.id)}`);
    } catch (err) {
      if ((err as RingCentralApiError).status !== 404) throw err;
    }
    logger.info({ subscriptionId: subscription.id, status: subscription.status, why }, 'deleted our RingCentral subscription');
  }

  async function create(want: WantedSubscription): Promise<RcSubscription> {
    const created = await api.post<RcSubscription>(SUBSCRIPTION_PATH, createRequest(want));
    logger.info(
      { subscriptionId: created.id, address: want.address, eventFilters: want.eventFilters, expirationTime: created.expirationTime },
      'created RingCentral webhook subscription',
    );
    return created;
  }

  async function locked(operation: string, work: () => Promise<SubscriptionOutcome>): Promise<SubscriptionOutcome> {
    const result = await withLock(redis, keys.subscriptionLock, lockTtlMs, work);
    const outcome: SubscriptionOutcome = result.acquired ? result.value : { action: 'locked', deleted: [] };
    if (!result.acquired) logger.info({ operation }, 'another ingest instance is managing the RingCentral subscription; skipped');
    metrics.subscriptionActions.inc({ action: outcome.action });
    return outcome;
  }

  /**
   * A new subscription replacing `replacing` (possibly none): announced token, create, remember, then delete the old
   * ones — RingCentral delivers through the old one until the new one exists. At the subscription limit (403 SUB-505)
   * the old ones go first.
   */
  async function replace(want: WantedSubscription, replacing: RcSubscription[], record: SubscriptionRecord | undefined, why: string) {
    const tokenHash = hashToken(want.verificationToken);
    const tokenChanged = record?.tokenHash !== undefined && !tokenMatchesHash(want.verificationToken, record.tokenHash);
    if (tokenChanged) {
      // Other instances still on the old configuration must accept the new token before RingCentral uses it.
      await announcePendingToken(redis, keys, tokenHash, Date.now() + deps.tokenOverlapMs + deps.tokenPropagationMs);
      await deps.onRecordChanged?.().catch(() => undefined);
      if (deps.tokenPropagationMs > 0) await sleep(deps.tokenPropagationMs);
    }
    const deleted: string[] = [];
    let created: RcSubscription;
    try {
      created = await create(want);
    } catch (err) {
      const apiError = err as RingCentralApiError;
      if (apiError.errorCode !== 'SUB-505' || replacing.length === 0) throw err;
      logger.warn({ subscriptions: replacing.length }, 'RingCentral subscription limit reached (SUB-505): deleting ours before creating');
      for (const subscription of replacing) {
        await remove(subscription, `${why} (to make room)`);
        deleted.push(subscription.id);
      }
      created = await create(want);
    }
    const previous =
      tokenChanged && record?.tokenHash !== undefined && deps.tokenOverlapMs > 0
        ? { previousTokenHash: record.tokenHash, previousTokenUntil: Date.now() + deps.tokenOverlapMs }
        : stillRunning(record);
    const kept = await remember(created, tokenHash, previous);
    for (const subscription of replacing) {
      if (deleted.includes(subscription.id)) continue;
      await remove(subscription, why);
      deleted.push(subscription.id);
    }
    return { subscription: kept, deleted };
  }

  async function ensureLocked(want: WantedSubscription, forceRecreate: boolean): Promise<SubscriptionOutcome> {
    logger.debug('checking the RingCentral subscription');
    const record = await readSubscriptionRecord(redis, keys);
    const plan = planSubscription(await list(), want, {
      now: Date.now(),
      renewBeforeMs: deps.renewBeforeMs,
      remembered: record ? { id: record.id, tokenHash: record.tokenHash } : undefined,
    });
    const replacing = forceRecreate && plan.keep && !plan.remove.includes(plan.keep) ? [...plan.remove, plan.keep] : plan.remove;

    if (plan.action === 'create' || plan.action === 'recreate' || forceRecreate) {
      const why = forceRecreate ? 'recreate requested' : plan.reason;
      if (replacing.length > 0)
        logger.warn({ subscriptionIds: replacing.map((s) => s.id), reason: why }, 'replacing our RingCentral subscription');
      const { subscription, deleted } = await replace(want, replacing, record, why);
      return { action: replacing.length > 0 ? 'recreated' : 'created', subscription, deleted };
    }

    const deleted: string[] = [];
    for (const duplicate of plan.remove) {
      await remove(duplicate, 'duplicate of ours');
      deleted.push(duplicate.id);
    }
    const keep = plan.keep;
    if (!keep) throw new Error(`subscription plan '${plan.action}' without a subscription to keep`);
    const previous = stillRunning(record);
    const path = `${SUBSCRIPTION_PATH}/${encodeURIComponent(keep.id)}`;
    if (plan.action === 'update') {
      const updated = await api.put<RcSubscription>(path, updateRequest(want));
      logger.info(
        { subscriptionId: updated.id, reason: plan.reason, eventFilters: updated.eventFilters },
        'updated RingCentral subscription',
      );
      return { action: 'updated', subscription: await remember(updated, record?.tokenHash, previous), deleted };
    }
    if (plan.action === 'renew') {
      const renewed = await api.post<RcSubscription>(`${path}/renew`);
      logger.info(
        { subscriptionId: renewed.id, reason: plan.reason, expirationTime: renewed.expirationTime },
        'renewed RingCentral subscription',
      );
      return { action: 'renewed', subscription: await remember(renewed, record?.tokenHash, previous), deleted };
    }
    logger.debug({ subscriptionId: keep.id, expirationTime: keep.expirationTime }, 'RingCentral subscription is active; reused');
    return { action: 'reused', subscription: await remember(keep, record?.tokenHash, previous), deleted };
  }

  return {
    /** Creates, reuses, renews, updates or recreates our subscription as needed. */
    ensure(): Promise<SubscriptionOutcome> {
      if (!wanted) return Promise.resolve({ action: 'disabled', deleted: [] });
      return locked('ensure', () => ensureLocked(wanted, false));
    },
    /** Replaces our subscription(s) with a fresh one (admin "reset subscription"). */
    recreate(): Promise<SubscriptionOutcome> {
      if (!wanted) return Promise.resolve({ action: 'disabled', deleted: [] });
      return locked('recreate', () => ensureLocked(wanted, true));
    },
    /** Deletes this deployment's subscription(s) only. */
    remove(): Promise<SubscriptionOutcome> {
      if (!wanted) return Promise.resolve({ action: 'disabled', deleted: [] });
      return locked('remove', async () => {
        const ours = (await list()).filter((s) => s.deliveryMode?.transportType === 'WebHook' && s.deliveryMode.address === wanted.address);
        for (const subscription of ours) await remove(subscription, 'unsubscribe requested');
        await redis.del(keys.subscription);
        await deps.onRecordChanged?.().catch(() => undefined);
        return { action: 'deleted', deleted: ours.map((s) => s.id) };
      });
    },
    /** Our subscription as RingCentral has it now (by the remembered id), else undefined. */
    async current(): Promise<SubscriptionSummary | undefined> {
      const id = await redis.hget(keys.subscription, 'id');
      if (!id) return undefined;
      try {
        return summary(await api.get<RcSubscription>(`${SUBSCRIPTION_PATH}/${encodeURIComponent(id)}`));
      } catch (err) {
        if ((err as RingCentralApiError).status === 404) return undefined;
        throw err;
      }
    },
  };
}

export type SubscriptionManager = ReturnType<typeof createSubscriptionManager>;
