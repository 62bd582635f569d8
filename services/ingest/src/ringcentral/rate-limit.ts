// RingCentral's user-level rate limits as pure rules: which group a request counts in, each group's default budget,
// how long a 429 pauses the group, and what the X-Rate-Limit-* headers say.
// Sources: ringcentral-api-docs docs/basics/rate-limits.md (groups, defaults, 60 s penalty restarted by every request
// during it, "retried in 30 seconds or later" without Retry-After, the headers); the "Rate Limit Group" of each
// operation in ringcentral-extensible packages/core/src/paths.

export interface GroupBudget {
  limit: number;
  windowMs: number;
}

/** RingCentral's default plan per (user, app): requests per minute of each group. */
export const defaultBudgets: Record<string, GroupBudget> = {
  light: { limit: 50, windowMs: 60_000 },
  medium: { limit: 40, windowMs: 60_000 },
  heavy: { limit: 10, windowMs: 60_000 },
  auth: { limit: 5, windowMs: 60_000 },
};

/** Without Retry-After, a 429 pauses its group for a random time in this range ("30 seconds or later"). */
export const FALLBACK_PENALTY_MS: readonly [number, number] = [30_000, 60_000];

/** The path with ids replaced, so one operation is one key: `GET /restapi/v1.0/account/{}/extension/{}`. */
export function routeKey(method: string, path: string): string {
  const template = path
    .split('?')[0]
    ?.replace(/\/account\/[^/]+/, '/account/{}')
    .replace(/\/extension\/[^/]+/, '/extension/{}')
    .replace(/\/subscription\/[^/]+/, '/subscription/{}');
  return `${method.toUpperCase()} ${template}`;
}

/** The group of the operations ingest calls, per RingCentral's spec; anything else counts as medium. */
export function groupOf(method: string, path: string): string {
  const key = routeKey(method, path);
  if (key.startsWith('POST /restapi/oauth/')) return 'auth';
  switch (key) {
    case 'GET /restapi/v1.0/account/{}/extension': // listExtensions
    case 'POST /restapi/v1.0/subscription': // createSubscription
    case 'PUT /restapi/v1.0/subscription/{}': // updateSubscription
    case 'DELETE /restapi/v1.0/subscription/{}': // deleteSubscription
      return 'medium';
    case 'GET /restapi/v1.0/account/{}/extension/{}': // readExtension
    case 'GET /restapi/v1.0/account/{}': // readAccountInfo
    case 'GET /restapi/v1.0/subscription': // listSubscriptions
    case 'GET /restapi/v1.0/subscription/{}': // readSubscription
    case 'POST /restapi/v1.0/subscription/{}/renew': // renewSubscription
      return 'light';
    default:
      return 'medium';
  }
}

export interface RateLimitHeaders {
  group?: string;
  limit?: number;
  remaining?: number;
  windowMs?: number;
}

const count = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
};

/** The X-Rate-Limit-* headers of a response (absent or unreadable ones undefined); group names in lower case. */
export function readRateLimitHeaders(headers: { get(name: string): string | null }): RateLimitHeaders {
  const group = headers.get('x-rate-limit-group')?.trim().toLowerCase();
  const windowSeconds = count(headers.get('x-rate-limit-window'));
  return {
    group: group === undefined || group === '' ? undefined : group,
    limit: count(headers.get('x-rate-limit-limit')),
    remaining: count(headers.get('x-rate-limit-remaining')),
    windowMs: windowSeconds === undefined || windowSeconds === 0 ? undefined : windowSeconds * 1000,
  };
}

/** How long a 429 pauses its group: Retry-After when given, else 30-60 s (jittered, so instances do not return at once). */
export function penaltyMs(
  retryAfterMs: number | undefined,
  fallback: readonly [number, number] = FALLBACK_PENALTY_MS,
  random = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const [min, max] = fallback;
  return Math.round(min + random() * (max - min));
}
