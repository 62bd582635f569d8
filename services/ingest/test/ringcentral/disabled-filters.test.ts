// A subscription RingCentral made "Active" but with the telephony filter disabled (the app lacks CallControl) delivers
// no call at all: detected, logged naming the permission, kept in Redis for admins and /readyz, shown by status, the
// metric set, repaired (recreated) at every check, and healthy again once the permission is granted. Under both
// readings of a disabled filter: only in disabledFilters, or also still in eventFilters.
import { Writable } from 'node:stream';
import { redisKeys } from '@callpulse/contracts';
import { Registry } from '@callpulse/platform';
import { DEFAULT_PERMISSIONS } from '@callpulse/testkit/standin';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startRingCentral } from '../../src/ringcentral/connect.js';
import { watchWebhookTokens } from '../../src/ringcentral/webhook-tokens.js';
import { createContext } from './context.js';
import { startWebhookDouble } from './webhook-double.js';

function memoryLogger() {
  const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('filters RingCentral disabled', () => {
  for (const style of ['removed', 'listed'] as const) {
    it(`(${style}) are detected, logged, stored, shown, and repaired once the app has CallControl`, async () => {
      const ctx = await createContext(`rcdisabled${style}`, {
        extensions: 10,
        permissions: DEFAULT_PERMISSIONS.filter((p) => p !== 'CallControl'),
        disabledFilterStyle: style,
      });
      const double = await startWebhookDouble();
      const { logger, lines } = memoryLogger();
      const registry = new Registry();
      const keys = redisKeys(ctx.prefix);
      const tokens = watchWebhookTokens({ redis: ctx.redis, keys, configuredToken: 'tok', logger, intervalMs: 50 });
      double.use(tokens);
      const handle = await startRingCentral({
        ...ctx.deps({ RC_WEBHOOK_ADDRESS: double.url, RC_WEBHOOK_VERIFICATION_TOKEN: 'tok', RC_SUBSCRIPTION_CHECK_INTERVAL_MS: '0' }),
        logger,
        registry,
        webhookTokens: tokens,
      });
      try {
        if (!handle) throw new Error('expected a handle');
        const gauge = async () => (await registry.getSingleMetric('callpulse_rc_subscription_disabled_filters')?.get())?.values[0]?.value;

        // Detected and shown.
        const status = await handle.status();
        expect(status.subscription?.status).toBe('Active');
        expect(status.subscription?.disabledFilters).toEqual([
          {
            filter: `/restapi/v1.0/account/${ctx.standIn.accountId}/telephony/sessions`,
            reason: 'PermissionMissing',
            message: 'Required application permission [CallControl] is missing',
          },
        ]);
        expect(status.subscription?.problem).toMatch(
          /telephony\/sessions .*no call events arrive; give the app the CallControl permission/,
        );
        // Logged, naming the permission.
        expect(lines.some((line) => line.level === 50 && /CallControl/.test(line.msg))).toBe(true);
        // Stored for admins, and what /readyz shows.
        const record = await ctx.redis.hgetall(keys.subscription);
        expect(JSON.parse(record.disabledFilters ?? '[]')).toHaveLength(1);
        expect(record.problem).toContain('CallControl');
        await tokens.refresh();
        expect(tokens.health()?.problem).toContain('CallControl');
        expect(await gauge()).toBe(1);
        // Nothing telephony arrives; extension changes do.
        const telephony = `/restapi/v1.0/account/${ctx.standIn.accountId}/extension/700000001/telephony/sessions`;
        expect(await ctx.standIn.deliver({ event: telephony, body: { sequence: 1 } })).toEqual([]);
        expect(
          (await ctx.standIn.deliver({ event: `/restapi/v1.0/account/${ctx.standIn.accountId}/extension`, body: {} })).map((d) => d.status),
        ).toEqual([200]);

        // Every check tries to repair it; while the permission is missing it stays broken, and says so.
        expect((await handle.ensureSubscription()).action).toBe('recreated');
        expect((await handle.status()).subscription?.disabledFilters).toHaveLength(1);

        // The admin grants CallControl: the next check repairs it.
        ctx.standIn.setPermissions(DEFAULT_PERMISSIONS);
        const repaired = await handle.ensureSubscription();
        expect(repaired.action).toBe('recreated');
        expect(repaired.subscription?.disabledFilters).toEqual([]);
        expect(repaired.subscription?.problem).toBeUndefined();
        expect(ctx.standIn.subscriptions().filter((s) => s.deliveryMode.address === double.url)).toHaveLength(1);
        expect((await ctx.standIn.deliver({ event: telephony, body: { sequence: 2 } })).map((d) => d.status)).toEqual([200]);
        expect(await gauge()).toBe(0);
        await tokens.refresh();
        expect(tokens.health()).toMatchObject({ status: 'Active', disabledFilters: [] });
        expect(tokens.health()?.problem).toBeUndefined();
        expect((await handle.ensureSubscription()).action).toBe('reused');
      } finally {
        tokens.stop();
        await handle?.stop();
        await double.close();
        await ctx.cleanup();
      }
    });
  }
});
