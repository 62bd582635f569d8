// The subscription's view for the admin page (pure): the record ingest keeps, read back through the shared contract,
// and its health in one word (ACTIVE, EXPIRED, FAILING, NONE) at a given time.
import { parseRcSubscriptionRecord, type RcSubscriptionRecord, rcSubscriptionHashFields } from '@callpulse/contracts';
import { describe, expect, it } from 'vitest';
import { subscriptionView } from '../src/admin/rc-subscription.js';

const now = Date.parse('2026-03-02T09:00:00Z');
const record: RcSubscriptionRecord = {
  id: 'sub-1',
  status: 'Active',
  expirationTime: '2026-03-03T09:00:00.000Z',
  address: 'https://callpulse.example.com/webhooks/ringcentral',
  eventFilters: ['/restapi/v1.0/account/~/telephony/sessions'],
  disabledFilters: [],
  problem: '',
  tokenHash: 'sha256:salt:digest',
  pendingTokenHash: 'sha256:salt:next',
  pendingTokenUntil: now + 5000,
  updatedAt: now - 60_000,
};
const health = (overrides: Partial<RcSubscriptionRecord>) => subscriptionView({ ...record, ...overrides }, now).health;

describe('the RingCentral subscription for admins', () => {
  it('reads back through the hash what was written, every field', () => {
    expect(parseRcSubscriptionRecord(rcSubscriptionHashFields(record))).toEqual({
      ...record,
      previousTokenHash: undefined,
      previousTokenUntil: undefined,
    });
  });

  it('is ACTIVE while Active, unexpired and whole; EXPIRED past its expiry; FAILING otherwise; NONE without an id', () => {
    expect(health({})).toBe('ACTIVE');
    expect(health({ expirationTime: '2026-03-02T09:00:00.000Z' })).toBe('EXPIRED');
    expect(subscriptionView({ ...record, expirationTime: '2026-03-01T00:00:00.000Z' }, now).problem).toMatch(/expired at 2026-03-01/);
    for (const status of ['Blacklisted', 'Suspended', 'Unknown']) expect(health({ status })).toBe('FAILING');
    expect(health({ status: 'Blacklisted', expirationTime: '2026-03-01T00:00:00.000Z' })).toBe('FAILING');
    expect(health({ disabledFilters: [{ filter: '/telephony/sessions', reason: 'Permission', message: 'CallControl' }] })).toBe('FAILING');
    expect(health({ problem: 'no call events arrive' })).toBe('FAILING');
    expect(subscriptionView(undefined, now)).toMatchObject({ health: 'NONE', id: null, status: null });
    // Only a pending token announced (no subscription yet): none.
    expect(subscriptionView(parseRcSubscriptionRecord({ pendingTokenHash: 'x', pendingTokenUntil: '1' }), now).health).toBe('NONE');
  });

  it('shows times as ISO-8601 UTC and never the token hashes', () => {
    const view = subscriptionView(record, now);
    expect(view).toMatchObject({ expiresAt: '2026-03-03T09:00:00.000Z', updatedAt: '2026-03-02T08:59:00.000Z', problem: null });
    expect(JSON.stringify(view)).not.toContain('sha256');
  });
});
