// The alert delivery of this API instance: while it holds the alertDeliveryLock lease (renewed every second, 5 s
// expiry; another instance takes over when the holder dies) it runs one loop per enabled target (target-loop.ts) and
// the ClickHouse sink (clickhouse-sink.ts). The targets are read again every few seconds: a new or enabled target gets
// a loop, a changed one its new URL and secret, a disabled or deleted one loses its loop (a deleted one its state
// too). One blocking XREAD on a connection of its own wakes the loops when the outbox grows (they also look every
// second). docs/alerts.md, "Delivery".
import { type AlertTarget, alertTargetSchema, type RedisKeys } from '@callpulse/contracts';
import { type ClickHouseClient, createLease, createRedis, type Lease, type Logger, type Redis, type Registry } from '@callpulse/platform';
import { type BackoffPolicy, defaultBackoff, isFailing } from './backoff.js';
import { ClickHouseSink } from './clickhouse-sink.js';
import { createDeliveryMetrics, type DeliveryMetrics } from './metrics.js';
import type { postBody } from './post.js';
import { countPending, freshState, readDeliveryState } from './state.js';
import { TargetLoop } from './target-loop.js';

export interface AlertDeliveryOptions {
  redisUrl: string;
  keys: RedisKeys;
  logger: Logger;
  /** Time limit of one POST (API_ALERT_DELIVERY_TIMEOUT_MS). */
  timeoutMs: number;
  /** ClickHouse's alert_transitions; without it no sink runs (tests of delivery alone). */
  clickhouse?: { client: ClickHouseClient; database: string };
  /** The API's registry: the metrics are registered there. */
  registry?: Registry;
  backoff?: BackoffPolicy;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  /** How often the targets are read again (default 2000 ms). */
  targetsRefreshMs?: number;
  /** Tests: the POST (to count attempts). */
  post?: typeof postBody;
}

/** Wakes the loops waiting for new outbox entries. */
class OutboxWaker {
  private waiters = new Set<() => void>();

  wait(maxMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export class AlertDelivery {
  private redis: Redis | undefined;
  private blocking: Redis | undefined;
  private lease: Lease | undefined;
  private readonly loops = new Map<string, TargetLoop>();
  /** The targets stored at the last refresh (enabled or not). */
  private knownTargets = new Set<string>();
  private sink: ClickHouseSink | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private watching = false;
  private readonly waker = new OutboxWaker();
  /** Serialises take-over, hand-over and refreshes. */
  private chain: Promise<void> = Promise.resolve();
  readonly metrics: DeliveryMetrics | undefined;

  constructor(private readonly options: AlertDeliveryOptions) {
    this.metrics = options.registry ? createDeliveryMetrics(options.registry, () => this.pendingByTarget()) : undefined;
  }

  /** true while this instance delivers. */
  holding(): boolean {
    return this.lease?.held() ?? false;
  }

  start(): void {
    if (this.lease) return;
    const { logger } = this.options;
    const redis = createRedis(this.options.redisUrl);
    redis.on('error', () => undefined); // the lease and the loops report what fails
    this.redis = redis;
    this.lease = createLease(redis, this.options.keys.alertDeliveryLock, {
      ttlMs: this.options.leaseTtlMs ?? 5000,
      renewMs: this.options.leaseRenewMs ?? 1000,
      onAcquired: () => {
        logger.info('alert delivery: this instance delivers');
        this.serialise(() => this.takeOver());
      },
      onLost: () => {
        logger.warn('alert delivery: this instance no longer delivers (lease lost or given back)');
        this.serialise(() => this.handOver());
      },
      onError: (err) => logger.debug({ err: { message: err.message } }, 'alert delivery lease: Redis error'),
    });
    this.lease.start();
  }

  async stop(): Promise<void> {
    const lease = this.lease;
    if (!lease) return;
    this.lease = undefined;
    await lease.stop(); // onLost hands over
    this.serialise(() => this.handOver());
    await this.chain;
    this.redis?.disconnect();
    this.redis = undefined;
  }

  private serialise(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(work)
      .catch((err: Error) => this.options.logger.error({ err }, 'alert delivery: take-over or refresh failed'));
  }

  private isHolder = () => this.holding();

  private async takeOver(): Promise<void> {
    const { redis } = this;
    if (!redis || !this.holding()) return;
    this.watchOutbox();
    await this.refreshTargets();
    await this.removeOrphanStates().catch((err: Error) =>
      this.options.logger.warn({ err: { message: err.message } }, 'alert delivery: removing the states of deleted targets failed'),
    );
    const refreshMs = this.options.targetsRefreshMs ?? 2000;
    this.refreshTimer = setInterval(() => this.serialise(() => this.refreshTargets()), refreshMs);
    const { clickhouse } = this.options;
    if (clickhouse) {
      this.sink = new ClickHouseSink({
        redis,
        keys: this.options.keys,
        clickhouse: clickhouse.client,
        database: clickhouse.database,
        logger: this.options.logger,
        backoff: this.options.backoff ?? defaultBackoff,
        waitForEntries: (maxMs, signal) => this.waker.wait(maxMs, signal),
        isHolder: this.isHolder,
        onInserted: (rows) => this.metrics?.stored.inc(rows),
      });
      this.sink.start();
    }
  }

  private async handOver(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    this.watching = false;
    this.blocking?.disconnect();
    this.blocking = undefined;
    this.waker.wakeAll();
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all([...loops.map((loop) => loop.stop()), this.sink?.stop()]);
    this.sink = undefined;
    this.metrics?.failingTargets.set(0);
  }

  /** One XREAD BLOCK at a time on a connection of its own: each new entry wakes the waiting loops. */
  private watchOutbox(): void {
    if (this.watching) return;
    this.watching = true;
    const blocking = createRedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    blocking.on('error', () => undefined);
    this.blocking = blocking;
    const outbox = this.options.keys.alertOutbox;
    (async () => {
      let after = '$';
      while (this.watching && this.blocking === blocking) {
        try {
          const read = await blocking.xread('COUNT', 100, 'BLOCK', 1000, 'STREAMS', outbox, after);
          const entries = read?.[0]?.[1] ?? [];
          const last = entries.at(-1);
          if (last) {
            after = last[0];
            this.waker.wakeAll();
          }
        } catch {
          if (!this.watching) return;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    })();
  }

  private async readTargets(): Promise<AlertTarget[]> {
    const redis = this.redis;
    if (!redis) return [];
    const out: AlertTarget[] = [];
    for (const [id, json] of Object.entries(await redis.hgetall(this.options.keys.alertTargets))) {
      try {
        out.push(alertTargetSchema.parse(JSON.parse(json)));
      } catch {
        this.options.logger.error({ targetId: id }, 'a stored alert target does not read; not delivered to');
      }
    }
    return out;
  }

  /** Loops for the enabled targets: started, updated, stopped as the stored targets say. */
  private async refreshTargets(): Promise<void> {
    const redis = this.redis;
    if (!redis || !this.holding()) return;
    const targets = await this.readTargets().catch((err: Error) => {
      this.options.logger.warn({ err: { message: err.message } }, 'alert delivery: reading the targets failed');
      return undefined;
    });
    if (!targets || !this.holding()) return;
    const enabled = new Map(targets.filter((target) => target.enabled).map((target) => [target.id, target]));
    const known = new Set(targets.map((target) => target.id));
    for (const [id, loop] of [...this.loops]) {
      const target = enabled.get(id);
      if (target) {
        loop.update(target);
        continue;
      }
      this.loops.delete(id);
      await loop.stop();
      if (known.has(id)) this.options.logger.info({ targetId: id }, 'alert target disabled: its delivery paused');
    }
    // A deleted target's delivery state goes with it (whether it had a loop or was disabled).
    for (const id of this.knownTargets) {
      if (known.has(id)) continue;
      await redis.del(this.options.keys.alertDelivery(id)).catch(() => undefined);
      this.options.logger.info({ targetId: id }, 'alert target deleted: its delivery state removed');
    }
    this.knownTargets = known;
    for (const [id, target] of enabled) {
      if (this.loops.has(id)) continue;
      const loop = new TargetLoop(
        {
          redis,
          keys: this.options.keys,
          logger: this.options.logger,
          timeoutMs: this.options.timeoutMs,
          backoff: this.options.backoff ?? defaultBackoff,
          waitForEntries: (maxMs, signal) => this.waker.wait(maxMs, signal),
          isHolder: this.isHolder,
          onAttempt: (_targetId, outcome) => this.metrics?.deliveries.inc({ result: outcome.ok ? 'delivered' : 'failed' }),
          ...(this.options.post ? { post: this.options.post } : {}),
        },
        target,
      );
      this.loops.set(id, loop);
      loop.start();
    }
    this.metrics?.failingTargets.set([...this.loops.values()].filter((loop) => isFailing(loop.state?.failures ?? 0)).length);
  }

  /** At take-over: the delivery states of targets deleted while no instance delivered (refreshTargets sees the rest). */
  private async removeOrphanStates(): Promise<void> {
    const redis = this.redis;
    if (!redis || !this.holding()) return;
    const stateOf = (id: string) => this.options.keys.alertDelivery(id);
    const prefix = stateOf('');
    const stored = new Set((await this.readTargets()).map((target) => stateOf(target.id)));
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
      cursor = next;
      const orphans = found.filter((key) => key.startsWith(prefix) && !stored.has(key));
      if (orphans.length > 0) await redis.del(...orphans);
    } while (cursor !== '0');
  }

  /** Pending transitions of each target this instance delivers to (metrics; empty when not delivering). */
  private async pendingByTarget(): Promise<Map<string, number>> {
    const redis = this.redis;
    const out = new Map<string, number>();
    if (!redis || !this.holding()) return out;
    for (const target of await this.readTargets()) {
      const state = (await readDeliveryState(redis, this.options.keys.alertDelivery(target.id))) ?? freshState(target);
      out.set(target.id, await countPending(redis, this.options.keys.alertOutbox, target.id, state.cursor));
    }
    return out;
  }
}
