// Running for a while: scheduled directory refresh, an expired access token refreshed, a 10,000-extension account
// written in pipelined chunks (not one round trip per extension), and the stand-in's webhook handshake and delivery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redisKeys } from '@callpulse/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { connectRingCentral, startRingCentral } from '../../src/ringcentral/connect.js';
import { createContext, type TestContext } from './context.js';

describe('RingCentral side over time', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createContext('rclife', { extensions: 10000 });
  });
  afterAll(async () => ctx?.cleanup());

  it('loads 10,000 extensions with a few pipelined HSETs, not one per extension', async () => {
    // Counts what the sync asks its own Redis client for (MONITOR would also see every other client of the server).
    const extensionsKey = redisKeys(ctx.prefix).extensions;
    const seen = { pipelinedHsets: 0, fields: 0, directHsets: 0 };
    const redis = ctx.redis;
    const pipeline = redis.pipeline.bind(redis);
    const hset = redis.hset.bind(redis);
    redis.pipeline = ((...args: Parameters<typeof pipeline>) => {
      const created = pipeline(...args);
      const pipelinedHset = created.hset.bind(created);
      created.hset = ((key: string, value: Record<string, string>) => {
        if (key === extensionsKey) {
          seen.pipelinedHsets += 1;
          seen.fields += Object.keys(value).length;
        }
        return pipelinedHset(key, value);
      }) as typeof created.hset;
      return created;
    }) as typeof redis.pipeline;
    redis.hset = ((key: string, ...rest: unknown[]) => {
      if (key === extensionsKey) seen.directHsets += 1;
      return (hset as (...a: unknown[]) => unknown)(key, ...rest);
    }) as typeof redis.hset;
    const handle = await connectRingCentral(ctx.deps());
    try {
      expect(await handle?.syncExtensions()).toEqual({ count: 10000 });
      expect(seen.fields).toBe(10000);
      expect(seen.pipelinedHsets).toBeLessThanOrEqual(20);
      expect(seen.directHsets).toBe(0);
      expect(await redis.hlen(extensionsKey)).toBe(10000);
    } finally {
      redis.pipeline = pipeline;
      redis.hset = hset;
      await handle?.stop();
    }
  });

  it('refreshes the directory on its schedule and stops cleanly', async () => {
    const pageOne = () => ctx.standIn.requests.filter((r) => r.path.endsWith('/extension') && r.query.page === '1').length;
    const before = pageOne();
    const handle = await startRingCentral(ctx.deps({ RC_DIRECTORY_SYNC_INTERVAL_MS: '50' }));
    await waitFor(() => pageOne() >= before + 2, { what: 'a scheduled sync after the first' });
    await handle?.stop();
  });

  it('refreshes an expired access token and carries on', async () => {
    const handle = await connectRingCentral(ctx.deps());
    ctx.standIn.expireAccessTokens();
    const before = ctx.standIn.requests.length;
    expect((await handle?.status())?.directory.extensions).toBe(10000);
    await handle?.syncExtensions();
    const tokenCalls = ctx.standIn.requests.slice(before).filter((r) => r.path === '/restapi/oauth/token');
    expect(tokenCalls.map((r) => r.status)).toEqual([200]);
    await handle?.stop();
  });
});

describe('stand-in webhook side', () => {
  let server: Server;
  const received: Array<{ token: string | undefined; body: string }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const validation = request.headers['validation-token'];
        if (typeof validation === 'string') response.setHeader('Validation-Token', validation);
        else received.push({ token: request.headers['verification-token'] as string | undefined, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('does the Validation-Token handshake on create and delivers notifications with the Verification-Token', async () => {
    const ctx = await createContext('rchook', { extensions: 3, validateWebhooks: true });
    try {
      const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const handle = await startRingCentral(ctx.deps({ RC_WEBHOOK_ADDRESS: address, RC_WEBHOOK_VERIFICATION_TOKEN: 'tok-1' }));
      expect(ctx.standIn.subscriptions().map((s) => s.deliveryMode.address)).toEqual([address]);
      const event = `/restapi/v1.0/account/${ctx.standIn.accountId}/extension/1/telephony/sessions`;
      expect(await ctx.standIn.deliver({ event, body: { sequence: 1 } })).toEqual([
        { subscriptionId: ctx.standIn.subscriptions()[0]?.id, status: 200 },
      ]);
      expect(received).toEqual([{ token: 'tok-1', body: expect.stringContaining('"sequence":1') }]);
      await handle?.stop();
    } finally {
      await ctx.cleanup();
    }
  });

  it('refuses to create a subscription whose address fails the handshake', async () => {
    const ctx = await createContext('rchookbad', { extensions: 3, validateWebhooks: true });
    try {
      const handle = await connectRingCentral(ctx.deps({ RC_WEBHOOK_ADDRESS: 'http://127.0.0.1:1/nowhere' }));
      await expect(handle?.ensureSubscription()).rejects.toThrow(/400 \[SUB-525\]/);
      expect(ctx.standIn.subscriptions()).toEqual([]);
      await handle?.stop();
    } finally {
      await ctx.cleanup();
    }
  });
});
