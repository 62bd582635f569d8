// Pure rules: which subscriptions are ours and what to do; Retry-After parsing and backoff; extension records.

import { parseExtensionListEvent, parseExtensionListEvents, toDirectoryExtension } from '@callpulse/contracts';
import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter } from '../../src/ringcentral/retry.js';
import {
  disabledFiltersProblem,
  normaliseFilter,
  planSubscription,
  type RcSubscription,
  type Remembered,
  wantedSubscription,
} from '../../src/ringcentral/subscription.js';
import { hashToken, tokenMatchesHash } from '../../src/ringcentral/token-hash.js';

const wanted = wantedSubscription('https://a.example/hook', 'tok', 315360000);
const now = Date.parse('2030-01-01T00:00:00Z');
const filters = ['/restapi/v1.0/account/123/telephony/sessions', '/restapi/v1.0/account/123/extension'];
// As RingCentral answers: no verification token in deliveryMode.
const sub = (id: string, extra: Partial<RcSubscription> = {}): RcSubscription => ({
  uri: `https://platform.example/restapi/v1.0/subscription/${id}`,
  id,
  status: 'Active',
  eventFilters: filters,
  expirationTime: '2035-01-01T00:00:00Z',
  deliveryMode: { transportType: 'WebHook', address: 'https://a.example/hook', encryption: false },
  ...extra,
});
const remembered = (id: string, token: string | undefined = 'tok'): Remembered => ({ id, tokenHash: hashToken(token) });
const plan = (existing: RcSubscription[], known: Remembered | undefined = remembered(existing[0]?.id ?? '')) =>
  planSubscription(existing, wanted, { now, renewBeforeMs: 86400000, remembered: known });

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

  it('reuses the remembered one whose token is known, and removes our duplicates', () => {
    const result = plan([sub('x'), sub('y'), sub('z', { eventFilters: ['/restapi/v1.0/account/~/telephony/sessions'] })], remembered('y'));
    expect(result.action).toBe('reuse');
    expect(result.keep?.id).toBe('y');
    expect(result.remove.map((s) => s.id).sort()).toEqual(['x', 'z']);
  });

  it('renews inside the threshold, recreates when blacklisted', () => {
    expect(plan([sub('x', { expirationTime: '2030-01-01T12:00:00Z' })]).action).toBe('renew');
    expect(plan([sub('x', { status: 'Blacklisted', blacklistedData: { reason: 'timeouts' } })])).toMatchObject({
      action: 'recreate',
      reason: 'status is Blacklisted (timeouts)',
    });
  });

  it('replaces ours when RC_WEBHOOK_VERIFICATION_TOKEN changed (RingCentral never echoes the token)', () => {
    expect(plan([sub('x')], remembered('x', 'old'))).toMatchObject({
      action: 'create',
      remove: [{ id: 'x' }],
      reason: 'RC_WEBHOOK_VERIFICATION_TOKEN changed',
    });
    // A token set where there was none is a change too, and so is one taken away.
    expect(plan([sub('x')], { id: 'x', tokenHash: hashToken(undefined) }).action).toBe('create');
    expect(
      planSubscription([sub('x')], wantedSubscription('https://a.example/hook', undefined, 315360000), {
        now,
        renewBeforeMs: 0,
        remembered: remembered('x', 'tok'),
      }).action,
    ).toBe('create');
  });

  it('a record without a token hash (an older version) counts as changed, once; an unremembered one is not ours to trust', () => {
    expect(plan([sub('x')], { id: 'x' })).toMatchObject({
      action: 'create',
      remove: [{ id: 'x' }],
      reason: expect.stringContaining('once'),
    });
    expect(planSubscription([sub('x')], wanted, { now, renewBeforeMs: 0 })).toMatchObject({ action: 'create', remove: [{ id: 'x' }] });
  });

  it('recreates (repairs) a subscription whose telephony filter RingCentral disabled, naming the missing permission', () => {
    const disabled = [
      {
        filter: '/restapi/v1.0/account/123/telephony/sessions',
        reason: 'PermissionMissing',
        message: 'Required application permission [CallControl] is missing',
      },
    ];
    // Both readings of a disabled filter: still listed in eventFilters, or only in disabledFilters.
    for (const eventFilters of [filters, ['/restapi/v1.0/account/123/extension']]) {
      const result = plan([sub('x', { eventFilters, disabledFilters: disabled })]);
      expect(result.action).toBe('recreate');
      expect(result.reason).toContain('CallControl');
      expect(result.reason).toContain('no call events arrive');
    }
    expect(disabledFiltersProblem(sub('x', { disabledFilters: disabled }))).toBe(
      'RingCentral disabled /restapi/v1.0/account/123/telephony/sessions (PermissionMissing: Required application permission [CallControl] is missing): no call events arrive; give the app the CallControl permission',
    );
  });

  it('updates (PUT) an active one whose filters differ instead of replacing it', () => {
    const result = plan([sub('x', { eventFilters: ['/restapi/v1.0/account/123/telephony/sessions'] })]);
    expect(result).toMatchObject({ action: 'update', keep: { id: 'x' }, remove: [] });
  });
});

describe('token hashes', () => {
  it('match the token they were made from, in no other way', () => {
    const hash = hashToken('secret-1');
    expect(hash).not.toContain('secret-1');
    expect(tokenMatchesHash('secret-1', hash)).toBe(true);
    expect(tokenMatchesHash('secret-2', hash)).toBe(false);
    expect(tokenMatchesHash(undefined, hash)).toBe(false);
    expect(hashToken('secret-1')).not.toBe(hash); // salted
    expect(tokenMatchesHash(undefined, hashToken(undefined))).toBe(true);
    expect(tokenMatchesHash('x', hashToken(undefined))).toBe(false);
    expect(tokenMatchesHash('x', 'garbage')).toBe(false);
  });

  it('answer the same once a token matched (remembered), for every other token and every hash alike', () => {
    const hashes = Array.from({ length: 40 }, (_, i) => [`token-${i}`, hashToken(`token-${i}`)] as const);
    for (let round = 0; round < 3; round++) {
      for (const [token, hash] of hashes) {
        expect(tokenMatchesHash(token, hash)).toBe(true);
        expect(tokenMatchesHash(`${token}x`, hash)).toBe(false); // longer
        expect(tokenMatchesHash(token.slice(0, -1), hash)).toBe(false); // shorter
        expect(tokenMatchesHash(token.replace('token', 'tokeN'), hash)).toBe(false); // same length
        expect(tokenMatchesHash(undefined, hash)).toBe(false);
      }
      // A token remembered for one hash opens no other.
      expect(tokenMatchesHash('token-1', hashes[2]?.[1] ?? '')).toBe(false);
    }
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

  it('reads both published shapes of an extension-list event: the flat body and body.extensions[] with hints', () => {
    // The spec's ExtensionListEventBody, whole notification or body alone.
    const flat = { extensionId: '62264425005', eventType: 'Update', ownerId: '62264425001' };
    expect(parseExtensionListEvents({ uuid: 'u', event: '/restapi/v1.0/account/~/extension', body: flat })).toEqual({
      events: [{ extensionId: '62264425005', eventType: 'Update' }],
      problems: [],
    });
    expect(parseExtensionListEvents(flat).events).toEqual([{ extensionId: '62264425005', eventType: 'Update' }]);
    // The shape of the guide's example (code-samples/events/extension-list.json), ids made up.
    const listed = {
      uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
      event: '/restapi/v1.0/account/~/extension',
      timestamp: '2026-01-05T10:00:00.000+0000',
      subscriptionId: 'sub-1',
      ownerId: '62264425001',
      body: {
        extensions: [
          { extensionId: '62264425011', eventType: 'Delete' },
          { extensionId: '62264425012', eventType: 'Create' },
          { extensionId: '62264425013', eventType: 'Update', hints: ['ExtensionInfo', 'CompanyNumbers'] },
          { extensionId: '', eventType: 'Update' },
        ],
      },
    };
    expect(parseExtensionListEvents(listed)).toEqual({
      events: [
        { extensionId: '62264425011', eventType: 'Delete' },
        { extensionId: '62264425012', eventType: 'Create' },
        { extensionId: '62264425013', eventType: 'Update', hints: ['ExtensionInfo', 'CompanyNumbers'] },
      ],
      problems: [expect.stringMatching(/^extensions\[3\]: .*extensionId/)],
    });
    expect(parseExtensionListEvents({ body: { extensions: 'x' } }).problems).toEqual(['extension-list event: `extensions` is not a list']);
    expect(parseExtensionListEvents(7).events).toEqual([]);
  });
});
