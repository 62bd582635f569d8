// Rotating RC_WEBHOOK_VERIFICATION_TOKEN under the strict stand-in (which never tells a subscription's token and
// blacklists a subscription whose webhook refuses a delivery): the restarted ingest still accepts the old token while
// the old subscription lives, recreates the subscription with the new token (the new one before the old is deleted),
// accepts the old token a short overlap longer, and not one notification is refused or lost on the way.
import { redisKeys } from '@callpulse/contracts';
import { createLogger } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { type RingCentralHandle, startRingCentral } from '../../src/ringcentral/connect.js';
import { hashToken } from '../../src/ringcentral/token-hash.js';
import { judgeToken, type WebhookTokens, watchWebhookTokens } from '../../src/ringcentral/webhook-tokens.js';
import { createContext, type TestContext } from './context.js';
import { startWebhookDouble, type WebhookDouble } from './webhook-double.js';

const telephonyEvent = (accountId: string) => `/restapi/v1.0/account/${accountId}/extension/700000001/telephony/sessions`;

describe('verification token rotation', () => {
  let ctx: TestContext;
  let double: WebhookDouble;
  const running: Array<{ handle: RingCentralHandle; tokens: WebhookTokens }> = [];
  const keys = () => redisKeys(ctx.prefix);
  const ours = () => ctx.standIn.subscriptions().filter((s) => s.deliveryMode.address === double.url);

  /** One "ingest process": its webhook's token watcher (answering at once), then the RingCentral side. */
  async function startIngest(token: string) {
    const tokens = watchWebhookTokens({
      redis: ctx.redis,
      keys: keys(),
      configuredToken: token,
      logger: createLogger('test', 'silent'),
      intervalMs: 50,
    });
    await tokens.refresh();
    double.use(tokens);
    const handle = await startRingCentral({
      ...ctx.deps({
        RC_WEBHOOK_ADDRESS: double.url,
        RC_WEBHOOK_VERIFICATION_TOKEN: token,
        RC_SUBSCRIPTION_CHECK_INTERVAL_MS: '0',
        RC_WEBHOOK_TOKEN_OVERLAP_S: '1',
      }),
      webhookTokens: tokens,
    });
    if (!handle) throw new Error('expected a handle');
    running.push({ handle, tokens });
    return { handle, tokens };
  }
  async function stopIngest() {
    for (const { handle, tokens } of running.splice(0)) {
      tokens.stop();
      await handle.stop();
    }
  }

  beforeAll(async () => {
    ctx = await createContext('rcrotate', { extensions: 10 });
    double = await startWebhookDouble();
  });
  afterAll(async () => {
    await stopIngest();
    await double?.close();
    await ctx?.cleanup();
  });

  it('recreates the subscription with the new token; no notification is refused or lost', async () => {
    await startIngest('token-one');
    const [first] = ours();
    if (!first) throw new Error('no subscription');
    expect(ctx.standIn.verificationTokenOf(first.id)).toBe('token-one');
    expect(first).not.toHaveProperty('deliveryMode.verificationToken'); // RingCentral never tells it
    const event = telephonyEvent(ctx.standIn.accountId);
    expect((await ctx.standIn.deliver({ event, body: { sequence: 1 } })).map((d) => d.status)).toEqual([200]);
    await stopIngest();

    // Restarted with a new token: its webhook answers before the subscription is replaced, and RingCentral still
    // delivers with the old token.
    double.handshakeDelayMs = 150; // a gap between deleting the old and creating the new subscription would show
    const deliveries: Array<Array<{ status: number }>> = [];
    let delivering = true;
    const loop = (async () => {
      for (let sequence = 2; delivering; sequence++) {
        deliveries.push(await ctx.standIn.deliver({ event, body: { sequence } }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await startIngest('token-two');
    await new Promise((resolve) => setTimeout(resolve, 50));
    delivering = false;
    await loop;

    const [second, ...more] = ours();
    expect(more).toEqual([]);
    expect(second?.id).not.toBe(first.id);
    expect(second?.status).toBe('Active');
    expect(ctx.standIn.verificationTokenOf(second?.id ?? '')).toBe('token-two');
    // Every notification went somewhere (never no subscription) and every delivery was answered 200.
    expect(deliveries.length).toBeGreaterThan(10);
    expect(deliveries.filter((d) => d.length === 0)).toEqual([]);
    expect(deliveries.flat().filter((d) => d.status !== 200)).toEqual([]);
    expect(double.received.filter((r) => !r.verdict.ok)).toEqual([]);
    expect(new Set(double.received.map((r) => (r.verdict.ok ? r.verdict.via : 'refused')))).toContain('subscription');
    expect(ctx.standIn.subscriptions().some((s) => s.status === 'Blacklisted')).toBe(false);

    expect(await ctx.standIn.deliver({ event, body: { sequence: 9999 } })).toEqual([{ subscriptionId: second?.id, status: 200 }]);
    expect(double.received.at(-1)?.verdict).toEqual({ ok: true, via: 'configured' });
  });

  it('accepts the replaced token for the overlap only, and keeps no token in Redis', async () => {
    const { tokens } = running[0] ?? {};
    if (!tokens) throw new Error('not running');
    expect(tokens.verify('token-one')).toEqual({ ok: true, via: 'previous' });
    expect(tokens.verify('token-two')).toEqual({ ok: true, via: 'configured' });
    expect(tokens.verify('forged')).toEqual({ ok: false, error: 'Verification-Token / Validation-Token does not match' });
    expect(tokens.verify(undefined)).toEqual({ ok: false, error: 'missing Verification-Token or Validation-Token header' });
    await waitFor(
      async () => {
        await tokens.refresh();
        return !tokens.verify('token-one').ok;
      },
      { what: 'the overlap (1 s) over' },
    );
    const stored = Object.values(await ctx.redis.hgetall(keys().subscription)).join('\n');
    expect(stored).toMatch(/sha256:/);
    expect(stored).not.toContain('token-one');
    expect(stored).not.toContain('token-two');
  });

  it('a subscription remembered without a token hash (an older version) is recreated once, then reused', async () => {
    const { handle } = running[0] ?? {};
    if (!handle) throw new Error('not running');
    await ctx.redis.hdel(keys().subscription, 'tokenHash');
    expect((await handle.ensureSubscription()).action).toBe('recreated');
    expect((await handle.ensureSubscription()).action).toBe('reused');
    expect(ours()).toHaveLength(1);
  });
});

describe('which tokens the webhook accepts', () => {
  const now = 1_000_000;
  const record = {
    id: 's1',
    status: 'Active',
    expirationTime: '',
    address: 'https://a.example/hook',
    eventFilters: [],
    disabledFilters: [],
    problem: '',
    tokenHash: hashToken('live'),
    previousTokenHash: hashToken('old'),
    previousTokenUntil: now + 1000,
    pendingTokenHash: hashToken('next'),
    pendingTokenUntil: now + 1000,
    updatedAt: now,
  };
  const configured = hashToken('configured');

  it("the configured token, the live subscription's, the previous during the overlap, an announced one", () => {
    expect(judgeToken('configured', configured, record, now)).toEqual({ ok: true, via: 'configured' });
    expect(judgeToken('live', configured, record, now)).toEqual({ ok: true, via: 'subscription' });
    expect(judgeToken('old', configured, record, now)).toEqual({ ok: true, via: 'previous' });
    expect(judgeToken('next', configured, record, now)).toEqual({ ok: true, via: 'pending' });
    expect(judgeToken('old', configured, record, now + 1000).ok).toBe(false);
    expect(judgeToken('next', configured, record, now + 1000).ok).toBe(false);
    expect(judgeToken('other', configured, record, now).ok).toBe(false);
    expect(judgeToken(undefined, configured, record, now).ok).toBe(false);
    expect(judgeToken('other', configured, undefined, now).ok).toBe(false);
  });

  it('a live subscription made without a token delivers without one; nothing is checked without a configured token', () => {
    expect(judgeToken(undefined, configured, { ...record, tokenHash: hashToken(undefined) }, now)).toEqual({
      ok: true,
      via: 'subscription',
    });
    expect(judgeToken('anything', undefined, undefined, now)).toEqual({ ok: true, via: 'unverified' });
  });
});
