// Rate limits: a 429 is retried after Retry-After seconds (30-60 s without it: here shortened), pausing every caller
// of its group and only that group; a group's budget from the X-Rate-Limit headers is kept to (no 429 at all); a 503
// backs off and retries; retries are bounded.
import { createLogger } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { connectRingCentral, type RingCentralHandle } from '../../src/ringcentral/connect.js';
import { loginWithJwt, type RcApi } from '../../src/ringcentral/platform.js';
import { createContext, fastPenalty, fastRetry, roomyPlan, type TestContext } from './context.js';

const EXTENSIONS = '/restapi/v1.0/account/~/extension';

async function login(ctx: TestContext): Promise<RcApi> {
  const { url: server, credentials } = ctx.standIn;
  return loginWithJwt({ server, ...credentials }, { logger: createLogger('test', 'silent'), retry: fastRetry, rateLimits: fastPenalty });
}

describe('RingCentral rate limits', () => {
  let ctx: TestContext;
  let handle: RingCentralHandle;
  beforeAll(async () => {
    ctx = await createContext('rcrate', { extensions: 1200 });
    const connected = await connectRingCentral(ctx.deps());
    if (!connected) throw new Error('expected a handle');
    handle = connected;
  });
  afterAll(async () => {
    await handle?.stop();
    await ctx?.cleanup();
  });

  const extensionPages = (from: number) =>
    ctx.standIn.requests.slice(from).filter((r) => /^\/restapi\/v1\.0\/account\/[^/]+\/extension$/.test(r.path));

  it('waits Retry-After seconds after a 429, then retries and completes', async () => {
    const before = ctx.standIn.requests.length;
    ctx.standIn.failNext({ status: 429, retryAfterSeconds: 1, path: '/restapi/v1.0/account/~/extension' });
    expect(await handle.syncExtensions()).toEqual({ count: 1200 });
    const [limited, retried] = extensionPages(before);
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect(retried?.query.page).toBe(limited?.query.page);
    // The fallback backoff in this test is ~10 ms: a gap of a second means Retry-After was honoured.
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('backs off on 503 and retries', async () => {
    const before = ctx.standIn.requests.length;
    ctx.standIn.failNext({ status: 503, count: 2, path: '/restapi/v1.0/account/~/extension' });
    expect(await handle.syncExtensions()).toEqual({ count: 1200 });
    expect(extensionPages(before).map((r) => r.status)).toEqual([503, 503, 200, 200]);
  });

  it('a 429 pauses every caller of its group until Retry-After ends, and no other group', async () => {
    const api = await login(ctx);
    const [a, b, c] = ctx.standIn.extensions();
    const one = (id: number | undefined) => api.get(`${EXTENSIONS}/${id}`);
    await one(a?.id); // light and medium have answered once: their budgets are known
    await api.get(EXTENSIONS, { page: 1, perPage: 10 });
    const before = ctx.standIn.requests.length;
    ctx.standIn.failNext({ status: 429, retryAfterSeconds: 1, path: `/restapi/v1.0/account/~/extension/${a?.id}` });
    const first = one(a?.id);
    const limited = await waitFor(() => ctx.standIn.requests.slice(before).find((r) => r.status === 429), { what: 'the 429' });
    // Other callers of the light group, and one of the medium group, start after the 429.
    await Promise.all([
      first,
      one(b?.id),
      one(c?.id),
      api.get('/restapi/v1.0/subscription'),
      api.get(EXTENSIONS, { page: 1, perPage: 10 }),
    ]);
    const after = ctx.standIn.requests.slice(before).filter((r) => r !== limited);
    const light = after.filter((r) => r.group === 'light');
    const medium = after.filter((r) => r.group === 'medium');
    expect(light).toHaveLength(4);
    for (const request of light) expect(request.at - limited.at).toBeGreaterThanOrEqual(990);
    expect(medium).toHaveLength(1);
    expect((medium[0]?.at ?? 0) - limited.at).toBeLessThan(500);
    expect(after.every((r) => r.status === 200)).toBe(true);
    await api.logout();
  });

  it('without Retry-After waits the fallback penalty (30-60 s; shortened here), not a quick backoff', async () => {
    const api = await login(ctx);
    const id = ctx.standIn.extensions()[3]?.id;
    await api.get(`${EXTENSIONS}/${id}`);
    const before = ctx.standIn.requests.length;
    ctx.standIn.failNext({ status: 429, path: `/restapi/v1.0/account/~/extension/${id}` });
    await api.get(`${EXTENSIONS}/${id}`);
    const [limited, retried] = ctx.standIn.requests.slice(before).filter((r) => r.path.endsWith(`/${id}`));
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(fastPenalty.fallbackPenaltyMs[0] - 10);
    await api.logout();
  });

  it('keeps to the budget the X-Rate-Limit headers announce: a burst of 12 reads against 3 a second gets no 429', async () => {
    const tight = await createContext('rcratetight', {
      extensions: 20,
      rateLimits: { groups: { ...roomyPlan.groups, light: { limit: 3, windowSeconds: 1 } }, penaltySeconds: 2 },
    });
    try {
      const api = await login(tight);
      const ids = tight.standIn.extensions().slice(0, 12);
      const started = Date.now();
      const read = await Promise.all(ids.map((e) => api.get<{ id: number }>(`${EXTENSIONS}/${e.id}`)));
      expect(read.map((r) => r.id)).toEqual(ids.map((e) => e.id));
      expect(tight.standIn.rateLimited().light).toBe(0);
      // 12 requests at 3 a second take at least three more windows.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
      await api.logout();
    } finally {
      await tight.cleanup();
    }
  });

  it('gives up after the bounded number of attempts with the status in the error', async () => {
    const before = ctx.standIn.requests.length;
    ctx.standIn.failNext({ status: 429, count: 10, retryAfterSeconds: 0, path: '/restapi/v1.0/account/~/extension' });
    await expect(handle.syncExtensions()).rejects.toThrow(/GET \/restapi\/v1\.0\/account\/~\/extension failed: 429 \[CMN-301\]/);
    expect(extensionPages(before)).toHaveLength(fastRetry.attempts);
    ctx.standIn.failNext({ status: 429, count: 0 });
  });
});
