// The webhook subscription: created with the right filters, address, token and expiresIn; reused by a second start
// without duplicates or touching another deployment's; renewed before expiry; recreated when blacklisted; one manager at a time.
import { redisKeys } from '@callpulse/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RingCentralHandle, startRingCentral } from '../../src/ringcentral/connect.js';
import { createContext, type TestContext } from './context.js';

const address = 'https://ingest.example.test/webhooks/ringcentral';
const foreignAddress = 'https://other-deployment.example.test/hook';

describe('subscription manager', () => {
  let ctx: TestContext;
  const handles: RingCentralHandle[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const handle = await startRingCentral(
      ctx.deps({
        RC_WEBHOOK_ADDRESS: address,
        RC_WEBHOOK_VERIFICATION_TOKEN: 'verify-me',
        RC_SUBSCRIPTION_CHECK_INTERVAL_MS: '0',
        ...extra,
      }),
    );
    if (!handle) throw new Error('expected a handle');
    handles.push(handle);
    return handle;
  };
  const ours = () => ctx.standIn.subscriptions().filter((s) => s.deliveryMode.address === address);

  beforeAll(async () => {
    ctx = await createContext('rcsub', { extensions: 30, validateWebhooks: false });
    ctx.standIn.addSubscription({ address: foreignAddress });
  });
  afterEach(async () => {
    for (const handle of handles.splice(0)) await handle.stop();
  });
  afterAll(async () => ctx?.cleanup());

  it('creates one subscription with the account-level telephony and extension-list filters, address, token and max expiresIn', async () => {
    await start();
    const creates = ctx.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/restapi/v1.0/subscription');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.body).toEqual({
      eventFilters: ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'],
      deliveryMode: { transportType: 'WebHook', address, verificationToken: 'verify-me' },
      expiresIn: 315360000,
    });
    expect(ours()).toHaveLength(1);
    expect(await ctx.redis.hget(redisKeys(ctx.prefix).subscription, 'id')).toBe(ours()[0]?.id);
  });

  it('a second start reuses it: no new subscription, nothing deleted, the foreign one untouched', async () => {
    const before = ctx.standIn.requests.length;
    const id = ours()[0]?.id;
    const handle = await start();
    const requests = ctx.standIn.requests.slice(before);
    expect(requests.filter((r) => r.method === 'POST' && r.path.startsWith('/restapi/v1.0/subscription'))).toEqual([]);
    expect(requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(ours().map((s) => s.id)).toEqual([id]);
    expect(ctx.standIn.subscriptions().filter((s) => s.deliveryMode.address === foreignAddress)).toHaveLength(1);
    expect((await handle.status()).subscription).toMatchObject({ id, status: 'Active', address });
  });

  it('deletes a duplicate of ours (same address) but keeps one', async () => {
    const kept = ours()[0]?.id;
    const duplicate = ctx.standIn.addSubscription({
      address,
      eventFilters: ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'],
      expiresIn: 3600,
    });
    const handle = await start();
    const outcome = await handle.ensureSubscription();
    expect(outcome.action).toBe('reused');
    expect(ours().map((s) => s.id)).toEqual([kept]);
    expect(ctx.standIn.subscriptions().some((s) => s.id === duplicate.id)).toBe(false);
    expect(ctx.standIn.subscriptions().filter((s) => s.deliveryMode.address === foreignAddress)).toHaveLength(1);
  });

  it('renews before expiry', async () => {
    const handle = await start();
    const id = ours()[0]?.id ?? '';
    ctx.standIn.setExpiration(id, new Date(Date.now() + 3600 * 1000));
    const outcome = await handle.ensureSubscription();
    expect(outcome).toMatchObject({ action: 'renewed', subscription: { id } });
    expect(ctx.standIn.requests.some((r) => r.method === 'POST' && r.path === `/restapi/v1.0/subscription/${id}/renew`)).toBe(true);
    expect(Date.parse(ours()[0]?.expirationTime ?? '')).toBeGreaterThan(Date.now() + 300000000 * 1000);
  });

  it('recreates a blacklisted subscription', async () => {
    const handle = await start();
    const old = ours()[0]?.id ?? '';
    ctx.standIn.blacklist(old);
    const outcome = await handle.ensureSubscription();
    expect(outcome.action).toBe('recreated');
    expect(outcome.deleted).toEqual([old]);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toMatchObject({ status: 'Active' });
    expect(ours()[0]?.id).not.toBe(old);
    expect(await ctx.redis.hget(redisKeys(ctx.prefix).subscription, 'id')).toBe(ours()[0]?.id);
    expect(ctx.standIn.subscriptions().filter((s) => s.deliveryMode.address === foreignAddress)).toHaveLength(1);
  });

  it('skips while another instance holds the lock', async () => {
    const handle = await start();
    await ctx.redis.set(redisKeys(ctx.prefix).subscriptionLock, 'someone-else', 'PX', 60000);
    const before = ctx.standIn.requests.length;
    expect((await handle.ensureSubscription()).action).toBe('locked');
    expect(ctx.standIn.requests.length).toBe(before);
    await ctx.redis.del(redisKeys(ctx.prefix).subscriptionLock);
  });

  it('a recreate request replaces ours; unsubscribe deletes only ours', async () => {
    const handle = await start();
    const old = ours()[0]?.id;
    expect((await handle.recreateSubscription()).action).toBe('recreated');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.id).not.toBe(old);
    const removed = await handle.deleteSubscription();
    expect(removed.action).toBe('deleted');
    expect(ours()).toHaveLength(0);
    expect(ctx.standIn.subscriptions().map((s) => s.deliveryMode.address)).toEqual([foreignAddress]);
    expect(await ctx.redis.exists(redisKeys(ctx.prefix).subscription)).toBe(0);
  });

  it('without RC_WEBHOOK_ADDRESS it syncs the directory but manages no subscription', async () => {
    const before = ctx.standIn.requests.length;
    const handle = await startRingCentral(ctx.deps());
    if (!handle) throw new Error('expected a handle');
    handles.push(handle);
    const requests = ctx.standIn.requests.slice(before);
    expect(requests.some((r) => r.path.endsWith('/extension'))).toBe(true);
    expect(requests.some((r) => r.path.startsWith('/restapi/v1.0/subscription'))).toBe(false);
    expect((await handle.ensureSubscription()).action).toBe('disabled');
  });
});
