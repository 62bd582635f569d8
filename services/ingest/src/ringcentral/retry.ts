// One retrying helper for RingCentral calls: after a 429 retry as soon as the rate limiter lets the group send again
// (it holds the group for Retry-After, else 30-60 s), back off on 503 (Retry-After when given) and on network
// failures, give up after a bounded number of attempts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@callpulse/platform';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff when the server gives no Retry-After; doubles each attempt. */
  baseDelayMs: number;
  /** Cap of one wait, Retry-After included. */
  maxDelayMs: number;
}

export const defaultRetryOptions: RetryOptions = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 120_000 };

/** What the helper needs to know of a failure: the HTTP status and the response's Retry-After, when there was one. */
export interface RetryableFailure {
  status?: number;
  retryAfter?: string | null;
  code?: string;
}

const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isRetryable(failure: RetryableFailure): boolean {
  if (failure.status === 429 || failure.status === 503) return true;
  return failure.status === undefined && failure.code !== undefined && networkCodes.has(failure.code);
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff for attempt n (1-based). */
export function backoffMs(attempt: number, options: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  describe: (err: unknown) => RetryableFailure,
  context: { logger: Logger; options?: RetryOptions; signal?: AbortSignal; onRetry?: (status: string) => void },
): Promise<T> {
  const options = context.options ?? defaultRetryOptions;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const failure = describe(err);
      if (!isRetryable(failure) || attempt >= options.attempts || context.signal?.aborted) throw err;
      const retryAfterMs = parseRetryAfter(failure.retryAfter);
      // A 429's wait is the rate limiter's: it pauses the whole group, this call included, and any wait here would be on top.
      const waitMs = failure.status === 429 ? 0 : Math.min(options.maxDelayMs, retryAfterMs ?? backoffMs(attempt, options));
      const reason = failure.status !== undefined ? String(failure.status) : (failure.code ?? 'network');
      context.onRetry?.(reason);
      context.logger.warn(
        { what, status: reason, attempt, waitMs, retryAfter: failure.retryAfter ?? undefined },
        failure.status === 429
          ? 'RingCentral call rate-limited; retrying once the group may send again'
          : 'RingCentral call failed; retrying',
      );
      await sleep(waitMs, undefined, { signal: context.signal });
    }
  }
}
