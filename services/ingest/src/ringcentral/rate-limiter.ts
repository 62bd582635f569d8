// One rate limiter per (server, app, user) in the process, shared by every RingCentral call (the SDK's own token
// requests included): before a request, wait until its group is out of its penalty and inside its budget (until the
// group's first answer told its real budget, one request at a time); after the answer, learn the budget from the
// X-Rate-Limit-* headers, pause the group for a window when nothing remains, and pause it for the penalty after a
// 429 — every caller of the group waits, since each request sent during a penalty would start it again.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultBudgets, FALLBACK_PENALTY_MS, groupOf, penaltyMs, readRateLimitHeaders, routeKey } from './rate-limit.js';
import { parseRetryAfter } from './retry.js';

export interface RateLimiterOptions {
  /** The wait after a 429 without Retry-After (default 30-60 s; tests shorten it). */
  fallbackPenaltyMs?: readonly [number, number];
  now?: () => number;
  random?: () => number;
}

interface GroupState {
  limit: number;
  windowMs: number;
  /** When this process sent the requests of the current window. */
  sent: number[];
  pausedUntil: number;
  /** Whether an answer of the group came back yet (its headers carry the real budget). */
  answered: boolean;
  inFlight: number;
  /** Callers waiting for the first answer. */
  waiters: Array<() => void>;
}

export interface Observation {
  group: string;
  /** Set when this answer paused the group: how long, and why. */
  paused?: { ms: number; cause: 'rate-limited' | 'budget-used' };
}

export interface GroupView {
  limit: number;
  windowSeconds: number;
  /** Milliseconds until the group may send again (0: now). */
  pausedForMs: number;
}

export class RateLimiter {
  private readonly groups = new Map<string, GroupState>();
  /** Operation -> group, as RingCentral named it in X-Rate-Limit-Group (names "may change": the server is right). */
  private readonly learned = new Map<string, string>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly fallback: readonly [number, number];

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.fallback = options.fallbackPenaltyMs ?? FALLBACK_PENALTY_MS;
  }

  groupFor(method: string, path: string): string {
    return this.learned.get(routeKey(method, path)) ?? groupOf(method, path);
  }

  private state(group: string): GroupState {
    let state = this.groups.get(group);
    if (!state) {
      const budget = defaultBudgets[group] ?? defaultBudgets.medium ?? { limit: 40, windowMs: 60_000 };
      state = { ...budget, sent: [], pausedUntil: 0, answered: false, inFlight: 0, waiters: [] };
      this.groups.set(group, state);
    }
    return state;
  }

  /** Resolves when a request of the group may be sent, and counts it; rejects when the signal aborts. Pair with release(). */
  async acquire(group: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const state = this.state(group);
      if (!state.answered && state.inFlight > 0) {
        await this.firstAnswer(state, signal);
        continue;
      }
      const now = this.now();
      if (state.pausedUntil > now) {
        await sleep(state.pausedUntil - now, undefined, { signal });
        continue;
      }
      state.sent = state.sent.filter((at) => at > now - state.windowMs);
      const oldest = state.sent[0];
      if (oldest !== undefined && state.sent.length >= state.limit) {
        await sleep(oldest + state.windowMs - now + 1, undefined, { signal });
        continue;
      }
      state.sent.push(now);
      state.inFlight++;
      return;
    }
  }

  /** The request acquired for `group` is over (answered or failed). */
  release(group: string): void {
    const state = this.state(group);
    state.inFlight = Math.max(0, state.inFlight - 1);
    if (state.inFlight === 0 || state.answered) for (const wake of state.waiters.splice(0)) wake();
  }

  private firstAnswer(state: GroupState, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** Takes in an answer of a request counted in `group`. */
  observe(group: string, method: string, path: string, status: number, headers: { get(name: string): string | null }): Observation {
    const now = this.now();
    const seen = readRateLimitHeaders(headers);
    let effective = group;
    if (seen.group !== undefined && seen.group !== group) {
      this.learned.set(routeKey(method, path), seen.group);
      effective = seen.group;
    }
    const state = this.state(effective);
    this.state(group).answered = true;
    state.answered = true;
    if (seen.limit !== undefined && seen.limit > 0) state.limit = seen.limit;
    if (seen.windowMs !== undefined) state.windowMs = seen.windowMs;
    const pause = (ms: number, cause: 'rate-limited' | 'budget-used'): Observation => {
      const until = now + ms;
      if (until <= state.pausedUntil) return { group: effective };
      state.pausedUntil = until;
      return { group: effective, paused: { ms, cause } };
    };
    if (status === 429)
      return pause(penaltyMs(parseRetryAfter(headers.get('retry-after'), now), this.fallback, this.random), 'rate-limited');
    // RingCentral's advice: when nothing remains, wait a window (other processes of the same user and app count too).
    if (seen.remaining === 0) return pause(state.windowMs, 'budget-used');
    return { group: effective };
  }

  /** Each known group's budget and pause, for status output. */
  view(): Record<string, GroupView> {
    const now = this.now();
    return Object.fromEntries(
      [...this.groups].map(([group, state]) => [
        group,
        { limit: state.limit, windowSeconds: state.windowMs / 1000, pausedForMs: Math.max(0, state.pausedUntil - now) },
      ]),
    );
  }
}

const limiters = new Map<string, RateLimiter>();

/** The process's limiter for one (server, app, user): the JWT names the user; only its digest is kept as the key. */
export function sharedRateLimiter(identity: { server: string; clientId: string; jwt: string }, options?: RateLimiterOptions): RateLimiter {
  const key = createHash('sha256').update(`${identity.server}\n${identity.clientId}\n${identity.jwt}`).digest('hex');
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new RateLimiter(options);
    limiters.set(key, limiter);
  }
  return limiter;
}
