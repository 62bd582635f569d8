// The webhook's decisions on plain data.
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../test/support/notifications.js';
import { interpretWebhook } from '../src/webhook/intake.js';
import { tokensMatch } from '../src/webhook/verify.js';

const raw = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('interpretWebhook', () => {
  it('answers a handshake before anything else, even without a verification token', () => {
    expect(interpretWebhook(Buffer.alloc(0), { 'validation-token': 'v1' }, 'secret')).toEqual({
      action: 'handshake',
      validationToken: 'v1',
    });
  });

  it('accepts a notification with the right token and routes telephony events', () => {
    const notification = sampleNotification();
    const intake = interpretWebhook(raw(notification), { 'verification-token': 'secret' }, 'secret');
    expect(intake).toEqual({ action: 'telephony', notification });
  });

  it('does not check tokens when none is configured', () => {
    expect(interpretWebhook(raw(sampleNotification()), {}, undefined).action).toBe('telephony');
  });

  it('classifies extension-list and subscription events as other events', () => {
    const base = { uuid: '1', body: {} };
    expect(interpretWebhook(raw({ ...base, event: '/restapi/v1.0/account/1/extension' }), {}, undefined)).toMatchObject({
      action: 'other-event',
      kind: 'extension-list',
    });
    expect(interpretWebhook(raw({ ...base, event: '/restapi/v1.0/subscription/abc' }), {}, undefined)).toMatchObject({
      kind: 'subscription-renewal',
    });
  });

  it('dead-letters a JSON array and a non-object body', () => {
    expect(interpretWebhook(raw([1, 2]), {}, undefined)).toEqual({ action: 'dead-letter', error: 'body must be a JSON object' });
    expect(interpretWebhook(Buffer.from(''), {}, undefined)).toMatchObject({ action: 'dead-letter' });
  });
});

describe('tokensMatch', () => {
  it('matches equal tokens only, whatever their lengths', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });
});
