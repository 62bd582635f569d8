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

describe('interpretWebhook bounds', () => {
  const receivedAtMs = Date.parse('2026-11-30T12:00:00Z');
  const at = (eventTime: string) => raw(sampleNotification({ eventTime }));

  it('dead-letters an event time more than 7 days before or 1 hour after the receipt, naming the field', () => {
    expect(interpretWebhook(at('2026-11-23T11:59:00Z'), {}, undefined, receivedAtMs)).toEqual({
      action: 'dead-letter',
      error: '`body.eventTime` is more than 7 days before the notification was received',
    });
    expect(interpretWebhook(at('2026-11-30T13:01:00Z'), {}, undefined, receivedAtMs)).toEqual({
      action: 'dead-letter',
      error: '`body.eventTime` is more than 1 hour after the notification was received',
    });
    expect(interpretWebhook(at('2026-11-23T12:01:00Z'), {}, undefined, receivedAtMs).action).toBe('telephony');
    expect(interpretWebhook(at('2026-11-30T12:59:00Z'), {}, undefined, receivedAtMs).action).toBe('telephony');
    expect(interpretWebhook(at('1970-01-01T00:00:00Z'), {}, undefined).action).toBe('telephony'); // no receipt time: no bound
  });

  it('dead-letters a sequence that is not a safe integer', () => {
    for (const sequence of [2 ** 53, 1e300, 1.5, -1]) {
      const notification = sampleNotification();
      notification.body.sequence = sequence;
      expect(interpretWebhook(raw(notification), {}, undefined, Date.now())).toMatchObject({
        error: expect.stringContaining('`body.sequence`'),
      });
    }
    expect(
      interpretWebhook(
        Buffer.from(
          raw(sampleNotification())
            .toString()
            .replace(/"sequence":3/, '"sequence":1e999'),
        ),
        {},
        undefined,
      ),
    ).toMatchObject({
      action: 'dead-letter',
    });
  });

  it('never puts the body in a JSON error (V8 quotes part of it)', () => {
    const intake = interpretWebhook(Buffer.from('Dana Whitfield +15550100101'), {}, undefined);
    expect(intake).toEqual({ action: 'dead-letter', error: 'body is not valid JSON' });
    expect(interpretWebhook(Buffer.from('{"uuid": "1", "name": "Dana'), {}, undefined)).toMatchObject({
      error: expect.not.stringContaining('Dana'),
    });
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
