// Pure rules: which subscriptions are ours and what to do; Retry-After parsing and backoff; extension records.

import { parseExtensionListEvent, toDirectoryExtension } from '@callpulse/shared';
import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter } from '../../src/ringcentral/retry.js';
import { normaliseFilter, planSubscription, type RcSubscription, wantedSubscription } from '../../src/ringcentral/subscription.js';

const wanted = wantedSubscription('https://a.example/hook', 'tok', 315360000);
const now = Date.parse('2030-01-01T00:00:00Z');
const sub = (id: string, extra: Partial<RcSubscription> = {}): RcSubscription => ({
  id,
  status: 'Active',
  eventFilters: ['/restapi/v1.0/account/123/telephony/sessions', '/restapi/v1.0/account/123/extension'],
  expirationTime: '2035-01-01T00:00:00Z',
  deliveryMode: { transportType: 'WebHook', address: 'https://a.example/hook', verificationToken: 'tok' },
  ...extra,
});
const plan = (existing: RcSubscription[], rememberedId?: string) =>
  planSubscription(existing, wanted, { now, renewBeforeMs: 86400000, rememberedId });

describe('subscription plan', () => {
  it('normalises the account part and query order of filters', () => {
    expect(normaliseFilter('/restapi/v1.0/account/37439510/telephony/sessions?b=1&a=2')).toBe(
      '/restapi/v1.0/account/~/telephony/sessions?a=2&b=1',
    );
  });

  it('creates when none is ours; never removes another address', () => {
    const foreign = sub('f', { deliveryMode: { transportType: 'WebHook', address: 'https://b.example/hook' } });
    expect(plan([foreign])).toMatchObject({ action: 'create', remove: [] });
  });

  it('reuses the active one, preferring the remembered id, and removes our duplicates', () => {
    const result = plan([sub('x'), sub('y'), sub('z', { eventFilters: ['/restapi/v1.0/account/~/telephony/sessions'] })], 'y');
    expect(result.action).toBe('reuse');
    expect(result.keep?.id).toBe('y');
    expect(result.remove.map((s) => s.id).sort()).toEqual(['x', 'z']);
  });

  it('renews inside the threshold, recreates when blacklisted or the echoed token differs', () => {
    expect(plan([sub('x', { expirationTime: '2030-01-01T12:00:00Z' })]).action).toBe('renew');
    expect(plan([sub('x', { status: 'Blacklisted', blacklistedData: { reason: 'timeouts' } })])).toMatchObject({
      action: 'recreate',
      reason: 'status is Blacklisted (timeouts)',
    });
    expect(
      plan([sub('x', { deliveryMode: { transportType: 'WebHook', address: 'https://a.example/hook', verificationToken: 'old' } })]),
    ).toMatchObject({
      action: 'create',
      remove: [{ id: 'x' }],
    });
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jan 2030 00:00:30 GMT', now)).toBe(30000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const options = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect(backoffMs(1, options, () => 0)).toBe(500);
    expect(backoffMs(3, options, () => 1)).toBe(4000);
    expect(backoffMs(10, options, () => 1)).toBe(5000);
  });
});

describe('extension records', () => {
  it('keeps id as a string and the fields callpulse needs', () => {
    expect(
      toDirectoryExtension({
        id: 62264425005,
        extensionNumber: '101',
        contact: { firstName: 'A', lastName: 'B' },
        type: 'User',
        status: 'Enabled',
      }),
    ).toEqual({
      id: '62264425005',
      extensionNumber: '101',
      name: 'A B',
      type: 'User',
      status: 'Enabled',
    });
    expect(() => toDirectoryExtension({ name: 'no id' })).toThrow(/has no id/);
  });

  it('reads extension-list events and names what is wrong', () => {
    expect(parseExtensionListEvent({ extensionId: 5, eventType: 'Delete' })).toEqual({ extensionId: '5', eventType: 'Delete' });
    expect(() => parseExtensionListEvent({ extensionId: '5', eventType: 'Moved' })).toThrow(/eventType.*Moved/);
    expect(() => parseExtensionListEvent(null)).toThrow(/must be an object/);
  });
});
