// Keeps exactly one webhook subscription of this deployment: finds and reuses it, renews it before expiry, recreates it
// when blacklisted, deletes our duplicates (same address) and nothing else. One ingest instance at a time (Redis lock).
import type { Logger, Redis, RedisKeys } from '@callpulse/shared';
import { withLock } from './lock.js';
import type { RcMetrics } from './metrics.js';
import type { RcApi, RingCentralApiError } from './platform.js';
import { createRequest, planSubscription, type RcSubscription, SUBSCRIPTION_PATH, type WantedSubscription } from './subscription.js';

export interface SubscriptionSummary {
  id: string;
  status: string;
  expirationTime: string;
  address: string;
  eventFilters: string[];
}

export type SubscriptionAction = 'created' | 'reused' | 'renewed' | 'recreated' | 'deleted' | 'locked' | 'disabled';

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
  lockTtlMs?: number;
}

const summary = (subscription: RcSubscription): SubscriptionSummary => ({
  id: subscription.id,
  status: subscription.status ?? 'Unknown',
  expirationTime: subscription.expirationTime ?? '',
  address: subscription.deliveryMode?.address ?? '',
  eventFilters: subscription.eventFilters ?? [],
});

export function createSubscriptionManager(deps: SubscriptionManagerDeps) {
  const { api, redis, keys, logger, metrics, wanted } = deps;
  const lockTtlMs = deps.lockTtlMs ?? 5 * 60 * 1000;

  const list = async () => (await api.get<{ records?: RcSubscription[] }>(SUBSCRIPTION_PATH)).records ?? [];

  async function remember(subscription: RcSubscription): Promise<SubscriptionSummary> {
    const kept = summary(subscription);
    await redis.hset(keys.subscription, { ...kept, eventFilters: JSON.stringify(kept.eventFilters), updatedAt: String(Date.now()) });
    return kept;
  }

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

  async function ensureLocked(want: WantedSubscription, forceRecreate: boolean): Promise<SubscriptionOutcome> {
    logger.debug('checking the RingCentral subscription');
    const rememberedId = (await redis.hget(keys.subscription, 'id')) ?? undefined;
    const plan = planSubscription(await list(), want, { now: Date.now(), renewBeforeMs: deps.renewBeforeMs, rememberedId });
    const deleted: string[] = [];
    const removing = forceRecreate && plan.keep ? [...plan.remove.filter((s) => s !== plan.keep), plan.keep] : plan.remove;
    for (const subscription of removing) {
      await remove(subscription, subscription === plan.keep ? (forceRecreate ? 'recreate requested' : plan.reason) : 'duplicate of ours');
      deleted.push(subscription.id);
    }
    if (!plan.keep || plan.action === 'recreate' || forceRecreate) {
      if (plan.action === 'recreate')
        logger.warn({ subscriptionId: plan.keep?.id, reason: plan.reason }, 'RingCentral subscription unusable; recreating');
      const created = await create(want);
      return { action: plan.keep ? 'recreated' : 'created', subscription: await remember(created), deleted };
    }
    if (plan.action === 'renew') {
      const renewed = await api.post<RcSubscription>(`${SUBSCRIPTION_PATH}/${encodeURIComponent(plan.keep.id)}/renew`);
      logger.info(
        { subscriptionId: renewed.id, reason: plan.reason, expirationTime: renewed.expirationTime },
        'renewed RingCentral subscription',
      );
      return { action: 'renewed', subscription: await remember(renewed), deleted };
    }
    logger.debug({ subscriptionId: plan.keep.id, expirationTime: plan.keep.expirationTime }, 'RingCentral subscription is active; reused');
    return { action: 'reused', subscription: await remember(plan.keep), deleted };
  }

  return {
    /** Creates, reuses, renews or recreates our subscription as needed. */
    ensure(): Promise<SubscriptionOutcome> {
      if (!wanted) return Promise.resolve({ action: 'disabled', deleted: [] });
      return locked('ensure', () => ensureLocked(wanted, false));
    },
    /** Deletes our subscription(s) and creates a fresh one (admin "reset subscription"). */
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
