// RingCentral's user-level rate limits as the stand-in enforces them: each API group (light, medium, heavy, auth) counts
// the (user, app)'s requests in a sliding window; over the limit, a penalty rejects every request of the group with 429,
// and every request sent during the penalty restarts it (RingCentral's "429 trap"). Every limited response carries the
// X-Rate-Limit-Group/Limit/Remaining/Window headers, and a 429 a Retry-After unless told not to.
// Sources: ringcentral-api-docs docs/basics/rate-limits.md; the groups of each endpoint from ringcentral-extensible.

export type RateLimitGroup = 'light' | 'medium' | 'heavy' | 'auth';

export interface GroupPlan {
  /** Requests per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitOptions {
  /** Per-group plans; RingCentral's defaults (light 50, medium 40, heavy 10, auth 5 per 60 s) where not given. */
  groups?: Partial<Record<RateLimitGroup, Partial<GroupPlan>>>;
  /** Penalty once a group's limit is reached (RingCentral's default 60 s), restarted by every request during it. */
  penaltySeconds?: number;
  /** Send Retry-After with a 429 (RingCentral does "in most cases"); false: the client must fall back on its own. */
  retryAfter?: boolean;
}

export const defaultPlans: Record<RateLimitGroup, GroupPlan> = {
  light: { limit: 50, windowSeconds: 60 },
  medium: { limit: 40, windowSeconds: 60 },
  heavy: { limit: 10, windowSeconds: 60 },
  auth: { limit: 5, windowSeconds: 60 },
};

/** The group of the endpoints the stand-in serves (the "Rate Limit Group" of each operation in RingCentral's spec). */
export function groupOf(method: string, path: string): RateLimitGroup | undefined {
  if (path.startsWith('/restapi/oauth/')) return 'auth';
  if (/^\/restapi\/v1\.0\/account\/[^/]+\/extension$/.test(path)) return 'medium'; // listExtensions
  if (/^\/restapi\/v1\.0\/account\/[^/]+\/extension\/[^/]+$/.test(path)) return 'light'; // readExtension
  if (/^\/restapi\/v1\.0\/account\/[^/]+$/.test(path)) return 'light'; // readAccountInfo
  if (path === '/restapi/v1.0/subscription') return method === 'POST' ? 'medium' : 'light'; // create / list
  if (/^\/restapi\/v1\.0\/subscription\/[^/]+\/renew$/.test(path)) return 'light';
  if (/^\/restapi\/v1\.0\/subscription\/[^/]+$/.test(path)) return method === 'GET' ? 'light' : 'medium'; // get / update, delete
  return undefined;
}

export interface Admission {
  admitted: boolean;
  headers: Record<string, string>;
  /** Seconds until the penalty ends (a 429 only). */
  retryAfterSeconds?: number;
}

export class RateLimits {
  private readonly plans: Record<RateLimitGroup, GroupPlan>;
  private readonly sent = new Map<RateLimitGroup, number[]>();
  private readonly penaltyUntil = new Map<RateLimitGroup, number>();
  readonly penaltyMs: number;
  readonly retryAfter: boolean;
  /** How many 429s each group answered (tests read it). */
  readonly rejected: Record<RateLimitGroup, number> = { light: 0, medium: 0, heavy: 0, auth: 0 };

  constructor(options: RateLimitOptions = {}) {
    const plan = (group: RateLimitGroup): GroupPlan => ({ ...defaultPlans[group], ...options.groups?.[group] });
    this.plans = { light: plan('light'), medium: plan('medium'), heavy: plan('heavy'), auth: plan('auth') };
    this.penaltyMs = (options.penaltySeconds ?? 60) * 1000;
    this.retryAfter = options.retryAfter ?? true;
  }

  /** Counts the request against its group and says whether it is served. */
  admit(group: RateLimitGroup, now = Date.now()): Admission {
    const plan = this.plans[group];
    const windowMs = plan.windowSeconds * 1000;
    const sent = (this.sent.get(group) ?? []).filter((at) => at > now - windowMs);
    this.sent.set(group, sent);
    const headers = (remaining: number) => ({
      'X-Rate-Limit-Group': group,
      'X-Rate-Limit-Limit': String(plan.limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, remaining)),
      'X-Rate-Limit-Window': String(plan.windowSeconds),
    });
    const penalised = (this.penaltyUntil.get(group) ?? 0) > now;
    if (penalised || sent.length >= plan.limit) {
      // Every request during the penalty starts it again.
      this.penaltyUntil.set(group, now + this.penaltyMs);
      this.rejected[group]++;
      return { admitted: false, headers: headers(0), retryAfterSeconds: Math.ceil(this.penaltyMs / 1000) };
    }
    sent.push(now);
    return { admitted: true, headers: headers(plan.limit - sent.length) };
  }

  /** Whether the group is in its penalty now. */
  penalised(group: RateLimitGroup, now = Date.now()): boolean {
    return (this.penaltyUntil.get(group) ?? 0) > now;
  }
}
