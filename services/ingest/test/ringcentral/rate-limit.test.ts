// Rate limits: a 429 is retried after Retry-After seconds; a 503 backs off and retries; retries are bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRingCentral, type RingCentralHandle } from '../../src/ringcentral/index.js';
import { createContext, fastRetry, type TestContext } from './context.js';

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

  it('gives up after the bounded number of attempts with the status in the error', async () => {
    const before = ctx.standIn.requests.length;
    ctx.standIn.failNext({ status: 429, count: 10, retryAfterSeconds: 0, path: '/restapi/v1.0/account/~/extension' });
    await expect(handle.syncExtensions()).rejects.toThrow(/GET \/restapi\/v1\.0\/account\/~\/extension failed: 429 \[CMN-301\]/);
    expect(extensionPages(before)).toHaveLength(fastRetry.attempts);
    ctx.standIn.failNext({ status: 429, count: 0 });
  });
});
