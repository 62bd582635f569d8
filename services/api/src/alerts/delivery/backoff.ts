// When a failed delivery is tried again (docs/alerts.md, "Delivery"): 1 s after the first failure, doubling up to a
// cap (60 s), each delay jittered so that targets failing together do not retry together; a target is failing after
// 3 consecutive failures, until a delivery succeeds. Pure.

/** Consecutive failures after which a target is marked failing. */
export const FAILING_AFTER = 3;

export interface BackoffPolicy {
  /** Delay after the first failure (default 1000 ms). */
  baseMs: number;
  /** Largest delay (default 60,000 ms). */
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };

/**
 * The delay before the next attempt after `failures` consecutive failures (1, 2, ...): baseMs * 2^(failures-1),
 * capped, times a jitter factor in [0.75, 1.25), and never above the cap. `random` in [0, 1).
 */
export function retryDelayMs(failures: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const delay = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(Math.min(policy.capMs, delay * (0.75 + 0.5 * random())));
}

/** Whether a target with this many consecutive failures is shown as failing. */
export function isFailing(failures: number): boolean {
  return failures >= FAILING_AFTER;
}
