// The delivery loop of one target: reads the outbox after the target's cursor, skips the transitions not addressed to
// it, POSTs the next one (signed, with a time limit) and moves the cursor on a 2xx; otherwise records the failure and
// tries the same transition again after a backoff (backoff.ts), so the target gets every transition, strictly in
// order. Each target has its own loop: a slow or failing receiver delays no other. Every state write is a
// compare-and-set on the cursor (state.ts): a loop that finds its cursor moved by another instance reads it again.
import type { AlertDeliveryState, AlertTarget, RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import { type BackoffPolicy, isFailing, retryDelayMs } from './backoff.js';
import { transitionBody } from './body.js';
import { type PostOutcome, postBody } from './post.js';
import { deliveryHeaders } from './signature.js';
import { freshState, type OutboxEntry, readDeliveryState, readOutboxAfter, recordDeliveryState } from './state.js';

export interface TargetLoopDeps {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  timeoutMs: number;
  backoff: BackoffPolicy;
  /** Resolves when the outbox may have new entries, or after at most maxMs. */
  waitForEntries: (maxMs: number, signal: AbortSignal) => Promise<void>;
  /** false once this instance no longer holds the delivery lease: nothing more is sent. */
  isHolder: () => boolean;
  onAttempt?: (targetId: string, outcome: PostOutcome) => void;
  /** The POST itself (tests may count attempts); postBody by default. */
  post?: typeof postBody;
}

/** Entries read from the outbox at once. */
const PAGE = 100;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export class TargetLoop {
  private target: AlertTarget;
  private readonly stopping = new AbortController();
  /** Aborted to cut a backoff short (the target was changed: its URL may be fixed). */
  private retryNow = new AbortController();
  private running: Promise<void> | undefined;
  /** The state as last written or read (the admin screen reads Redis; metrics read this). */
  state: AlertDeliveryState | null = null;

  constructor(
    private readonly deps: TargetLoopDeps,
    target: AlertTarget,
  ) {
    this.target = target;
  }

  get id(): string {
    return this.target.id;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** The target was changed (URL, secret, kind, name): used from the next attempt, a backoff cut short. */
  update(target: AlertTarget): void {
    this.target = target;
    this.retryNow.abort();
    this.retryNow = new AbortController();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /**
   * Stopped, or this instance does not hold the lease at this moment: nothing is sent, and the loop reads the stored
   * cursor again once it holds it (a renewal a little late must not end the loop for good).
   */
  private get stopped(): boolean {
    return this.stopping.signal.aborted || !this.deps.isHolder();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      if (!this.deps.isHolder()) {
        await sleep(200, this.stopping.signal);
        continue;
      }
      try {
        await this.deliverFromStoredCursor();
      } catch (err) {
        // Redis unreachable or a script refused: read the state again after a pause.
        this.deps.logger.warn(
          { targetId: this.target.id, err: { message: (err as Error).message } },
          'alert delivery loop failed; retrying',
        );
        await sleep(1000, this.stopping.signal);
      }
    }
  }

  /** Delivers from the cursor stored in Redis until stopped, or until the cursor is found moved by another instance. */
  private async deliverFromStoredCursor(): Promise<void> {
    const { redis, keys } = this.deps;
    const key = keys.alertDelivery(this.target.id);
    const stored = await readDeliveryState(redis, key);
    let state = stored ?? freshState(this.target);
    /** The cursor in Redis, the compare-and-set's expected value ('' before the first write). */
    let written = stored ? stored.cursor : '';
    this.state = state;
    /** Entries read (delivered or skipped) past the written cursor. */
    let cursor = state.cursor;
    const save = async (next: AlertDeliveryState): Promise<boolean> => {
      if (!(await recordDeliveryState(redis, key, written, next))) {
        this.deps.logger.warn({ targetId: this.target.id }, 'alert delivery cursor moved by another instance; reading it again');
        return false;
      }
      written = next.cursor;
      state = next;
      this.state = next;
      return true;
    };
    while (!this.stopped) {
      const entries = await readOutboxAfter(redis, keys.alertOutbox, cursor, PAGE);
      if (entries.length === 0) {
        if (cursor !== written && !(await save({ ...state, cursor }))) return;
        await this.deps.waitForEntries(1000, this.stopping.signal);
        continue;
      }
      for (const entry of entries) {
        if (this.stopped) return;
        if (!entry.transition?.targetIds.includes(this.target.id)) {
          if (!entry.transition) this.deps.logger.warn({ entryId: entry.id }, 'an alert outbox entry does not read; skipped');
          cursor = entry.id;
          continue;
        }
        const delivered = await this.deliver(entry, () => ({ ...state, cursor }), save);
        if (delivered === 'moved') return;
        if (delivered === 'stopped') return;
        cursor = entry.id;
      }
    }
  }

  /** Attempts one transition until it is delivered (the cursor moved past it), the loop stops, or the cursor moved elsewhere. */
  private async deliver(
    entry: OutboxEntry,
    current: () => AlertDeliveryState,
    save: (next: AlertDeliveryState) => Promise<boolean>,
  ): Promise<'delivered' | 'stopped' | 'moved'> {
    const transition = entry.transition;
    if (!transition) return 'delivered';
    const post = this.deps.post ?? postBody;
    while (!this.stopped) {
      const target = this.target;
      const nowMs = Date.now();
      const body = transitionBody(target.kind, transition, nowMs);
      // Not aborted when the loop stops (shutdown, lease lost): a POST in flight ends (within the time limit) and its
      // outcome is recorded, so an accepted transition is not sent again by the next holder.
      const outcome = await post({
        url: target.url,
        body,
        headers: deliveryHeaders({ body, deliveryId: transition.id, secret: target.secret, nowMs }),
        timeoutMs: this.deps.timeoutMs,
      });
      this.deps.onAttempt?.(target.id, outcome);
      const before = current();
      const attemptAtMs = Date.now();
      if (outcome.ok) {
        const saved = await save({
          cursor: entry.id,
          failures: 0,
          failing: false,
          lastError: null,
          lastAttemptAtMs: attemptAtMs,
          lastSuccessAtMs: attemptAtMs,
        });
        if (before.failing) this.deps.logger.info({ targetId: target.id }, 'alert target delivers again');
        return saved ? 'delivered' : 'moved';
      }
      const failures = before.failures + 1;
      const failing = isFailing(failures);
      if (!(await save({ ...before, failures, failing, lastError: outcome.error, lastAttemptAtMs: attemptAtMs }))) return 'moved';
      if (this.stopping.signal.aborted) return 'stopped';
      const delayMs = retryDelayMs(failures, this.deps.backoff);
      const log = {
        targetId: target.id,
        transitionId: transition.id,
        failures,
        status: outcome.status,
        error: outcome.error,
        retryInMs: delayMs,
      };
      if (failing && !before.failing) this.deps.logger.error(log, 'alert target is failing');
      else this.deps.logger.warn(log, 'alert delivery failed; retrying');
      await sleep(delayMs, AbortSignal.any([this.stopping.signal, this.retryNow.signal]));
    }
    return 'stopped';
  }
}
