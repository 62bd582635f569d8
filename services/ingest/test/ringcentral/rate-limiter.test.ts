// The rate limiter on plain data: the group of each operation, the X-Rate-Limit headers, 30-60 s after a 429 without
// Retry-After, the whole group paused, a group's budget learned from its first answer and kept to.
import { describe, expect, it } from 'vitest';
import { groupOf, penaltyMs, readRateLimitHeaders } from '../../src/ringcentral/rate-limit.js';
import { RateLimiter } from '../../src/ringcentral/rate-limiter.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('rate-limit rules', () => {
  it('puts each operation ingest calls in its RingCentral group', () => {
    expect(groupOf('POST', '/restapi/oauth/token')).toBe('auth');
    expect(groupOf('POST', '/restapi/oauth/revoke')).toBe('auth');
    expect(groupOf('GET', '/restapi/v1.0/account/~/extension')).toBe('medium');
    expect(groupOf('GET', '/restapi/v1.0/account/~/extension/62264425005')).toBe('light');
    expect(groupOf('GET', '/restapi/v1.0/subscription')).toBe('light');
    expect(groupOf('POST', '/restapi/v1.0/subscription')).toBe('medium');
    expect(groupOf('GET', '/restapi/v1.0/subscription/abc')).toBe('light');
    expect(groupOf('PUT', '/restapi/v1.0/subscription/abc')).toBe('medium');
    expect(groupOf('DELETE', '/restapi/v1.0/subscription/abc')).toBe('medium');
    expect(groupOf('POST', '/restapi/v1.0/subscription/abc/renew')).toBe('light');
  });

  it('without Retry-After a 429 pauses for 30 to 60 seconds, not one', () => {
    expect(penaltyMs(undefined, undefined, () => 0)).toBe(30_000);
    expect(penaltyMs(undefined, undefined, () => 1)).toBe(60_000);
    expect(penaltyMs(undefined, undefined, () => 0.5)).toBe(45_000);
    expect(penaltyMs(7000)).toBe(7000);
  });

  it('reads the X-Rate-Limit headers (group in lower case, window in ms)', () => {
    expect(
      readRateLimitHeaders(
        headers({
          'X-Rate-Limit-Group': 'Light',
          'X-Rate-Limit-Limit': '1000',
          'X-Rate-Limit-Remaining': '999',
          'X-Rate-Limit-Window': '60',
        }),
      ),
    ).toEqual({ group: 'light', limit: 1000, remaining: 999, windowMs: 60000 });
    expect(readRateLimitHeaders(headers({}))).toEqual({ group: undefined, limit: undefined, remaining: undefined, windowMs: undefined });
  });
});

describe('rate limiter', () => {
  it('a 429 pauses every caller of the group for the penalty, and only that group', async () => {
    const limiter = new RateLimiter({ random: () => 0 });
    await limiter.acquire('light');
    limiter.observe('light', 'GET', '/restapi/v1.0/subscription', 429, headers({}));
    limiter.release('light');
    expect(limiter.view().light?.pausedForMs).toBeGreaterThan(29_900);
    // Another group goes on at once.
    await limiter.acquire('medium');
    limiter.release('medium');
    // Every light caller waits.
    const controller = new AbortController();
    let sent = false;
    const waiting = limiter.acquire('light', controller.signal).then(() => {
      sent = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(false);
    controller.abort();
    await expect(waiting).rejects.toThrow();
    // Retry-After, when given, is the penalty.
    limiter.observe('auth', 'POST', '/restapi/oauth/token', 429, headers({ 'Retry-After': '7' }));
    expect(limiter.view().auth?.pausedForMs).toBeGreaterThan(6_900);
  });

  it('keeps to the budget the headers announce: nothing remaining pauses the group for a window', async () => {
    let now = 0;
    const limiter = new RateLimiter({ now: () => now });
    await limiter.acquire('medium');
    const seen = limiter.observe(
      'medium',
      'GET',
      '/restapi/v1.0/account/~/extension',
      200,
      headers({ 'X-Rate-Limit-Group': 'medium', 'X-Rate-Limit-Limit': '3', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Window': '2' }),
    );
    limiter.release('medium');
    expect(seen).toEqual({ group: 'medium', paused: { ms: 2000, cause: 'budget-used' } });
    expect(limiter.view().medium).toEqual({ limit: 3, windowSeconds: 2, pausedForMs: 2000 });
    now = 2001;
    expect(limiter.view().medium?.pausedForMs).toBe(0);
  });

  it('learns the group RingCentral names in X-Rate-Limit-Group for an operation', async () => {
    const limiter = new RateLimiter();
    await limiter.acquire('light');
    limiter.observe(
      'light',
      'GET',
      '/restapi/v1.0/account/~/extension/1',
      200,
      headers({ 'X-Rate-Limit-Group': 'Tiny', 'X-Rate-Limit-Limit': '9' }),
    );
    limiter.release('light');
    expect(limiter.groupFor('GET', '/restapi/v1.0/account/~/extension/2')).toBe('tiny');
    expect(limiter.view().tiny?.limit).toBe(9);
  });

  it('sends one request of a group until its first answer, then as many as the budget allows', async () => {
    const limiter = new RateLimiter();
    await limiter.acquire('light');
    let second = false;
    const next = limiter.acquire('light').then(() => {
      second = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second).toBe(false);
    limiter.observe(
      'light',
      'GET',
      '/restapi/v1.0/subscription',
      200,
      headers({ 'X-Rate-Limit-Limit': '50', 'X-Rate-Limit-Remaining': '49' }),
    );
    limiter.release('light');
    await next;
    expect(second).toBe(true);
    await limiter.acquire('light'); // answered: no more waiting for one at a time
  });
});
