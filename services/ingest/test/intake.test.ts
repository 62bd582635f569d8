// The webhook's decisions on plain data: the handshake, who may post, what is dead-lettered and what is routed.
import { checkTelephonyNotification } from '@callpulse/contracts';
import { STATUS_CODES, STATUS_REASONS, singlePartyEvent } from '@callpulse/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../test/support/notifications.js';
import { interpretWebhook } from '../src/webhook/intake.js';
import { tokensMatch } from '../src/webhook/verify.js';

const raw = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('interpretWebhook: the handshake', () => {
  it('is a request without a body that carries Validation-Token, answered before anything else', () => {
    expect(interpretWebhook(Buffer.alloc(0), { 'validation-token': 'v1' }, 'secret')).toEqual({
      action: 'handshake',
      validationToken: 'v1',
    });
  });

  it('is never a request with a body, whatever its headers', () => {
    const notification = sampleNotification();
    // RingCentral's current guide: every webhook carries Validation-Token (here: the verification token itself).
    expect(interpretWebhook(raw(notification), { 'validation-token': 'secret' }, 'secret')).toMatchObject({ action: 'telephony' });
    expect(interpretWebhook(raw(notification), { 'validation-token': 'random-handshake-value' }, 'secret')).toMatchObject({
      action: 'unauthorized',
    });
    expect(interpretWebhook(raw(notification), { 'validation-token': 'anything' }, undefined)).toMatchObject({ action: 'telephony' });
    expect(interpretWebhook(Buffer.from('{'), { 'validation-token': 'v1' }, undefined)).toMatchObject({ action: 'dead-letter' });
  });

  it('a request without a body and without Validation-Token is an empty notification', () => {
    expect(interpretWebhook(Buffer.alloc(0), {}, undefined)).toEqual({
      action: 'dead-letter',
      error: 'body is empty (and no Validation-Token: not a handshake)',
    });
    expect(interpretWebhook(Buffer.alloc(0), {}, 'secret')).toMatchObject({ action: 'unauthorized' });
  });
});

describe('interpretWebhook: who may post', () => {
  it('takes the token from Verification-Token or Validation-Token, either one right is enough', () => {
    const body = raw(sampleNotification());
    expect(interpretWebhook(body, { 'verification-token': 'secret' }, 'secret').action).toBe('telephony');
    expect(interpretWebhook(body, { 'validation-token': 'secret' }, 'secret').action).toBe('telephony');
    expect(interpretWebhook(body, { 'verification-token': 'secret', 'validation-token': 'other' }, 'secret').action).toBe('telephony');
    expect(interpretWebhook(body, { 'verification-token': 'other', 'validation-token': 'secret' }, 'secret').action).toBe('telephony');
  });

  it('refuses a missing or wrong token while one is configured', () => {
    const body = raw(sampleNotification());
    expect(interpretWebhook(body, {}, 'secret')).toEqual({
      action: 'unauthorized',
      error: 'missing Verification-Token or Validation-Token header',
    });
    expect(interpretWebhook(body, { 'verification-token': 'wrong' }, 'secret')).toEqual({
      action: 'unauthorized',
      error: 'Verification-Token / Validation-Token does not match',
    });
    // A forged body is refused before it is read: a malformed one too.
    expect(interpretWebhook(Buffer.from('{'), { 'verification-token': 'wrong' }, 'secret').action).toBe('unauthorized');
  });

  it('accepts any of several configured tokens (a rotation overlap)', () => {
    const body = raw(sampleNotification());
    expect(interpretWebhook(body, { 'verification-token': 'old' }, ['new', 'old']).action).toBe('telephony');
    expect(interpretWebhook(body, { 'verification-token': 'older' }, ['new', 'old']).action).toBe('unauthorized');
    expect(interpretWebhook(body, {}, []).action).toBe('telephony'); // an empty list: no token configured
  });

  it('asks a token check about each presented token (the subscription manager knows the tokens of a rotation)', () => {
    const body = raw(sampleNotification());
    const asked: Array<string | undefined> = [];
    const check = (presented: string | undefined) => {
      asked.push(presented);
      return presented === 'current' ? ({ ok: true } as const) : ({ ok: false, error: 'verification token does not match' } as const);
    };
    expect(interpretWebhook(body, { 'verification-token': 'stale', 'validation-token': 'current' }, check).action).toBe('telephony');
    expect(asked).toEqual(['stale', 'current']);
    expect(interpretWebhook(body, { 'verification-token': 'stale' }, check)).toEqual({
      action: 'unauthorized',
      error: 'verification token does not match',
    });
    expect(interpretWebhook(body, {}, (presented) => (presented === undefined ? { ok: true } : { ok: false, error: 'x' })).action).toBe(
      'telephony',
    );
    expect(interpretWebhook(Buffer.alloc(0), { 'validation-token': 'v' }, check).action).toBe('handshake');
  });

  it('does not check tokens when none is configured', () => {
    expect(interpretWebhook(raw(sampleNotification()), {}, undefined).action).toBe('telephony');
  });
});

describe('interpretWebhook: a genuine body is kept, never refused', () => {
  it('routes a telephony notification, the view equal to what was sent', () => {
    const notification = sampleNotification();
    expect(interpretWebhook(raw(notification), { 'verification-token': 'secret' }, 'secret')).toEqual({
      action: 'telephony',
      notification,
      notes: [],
    });
  });

  it('needs only the session id, sequence, event time and a party with id and status.code', () => {
    const minimal = {
      body: {
        telephonySessionId: 's-0000feed',
        sequence: 0,
        eventTime: '2026-11-30T11:59:00.000Z',
        parties: [{ id: 'p-1', status: { code: 'Setup' } }],
      },
    };
    const intake = interpretWebhook(raw(minimal), {}, undefined, Date.parse('2026-11-30T12:00:00Z'));
    expect(intake).toMatchObject({ action: 'telephony', notification: { uuid: 'derived:s-0000feed:0', event: '' } });
  });

  it('derives a stable uuid from the session and sequence when `uuid` is missing or not a string', () => {
    for (const uuid of [undefined, '', 1234567890123, null]) {
      const notification: Record<string, unknown> = { ...sampleNotification({ telephonySessionId: 's-abc', sequence: 7 }), uuid };
      const intake = interpretWebhook(raw(notification), {}, undefined);
      expect(intake).toMatchObject({ action: 'telephony', notification: { uuid: 'derived:s-abc:7' } });
      expect(intake.action === 'telephony' && intake.notes).toEqual([
        '`uuid` is missing or not a non-empty string: derived from `body.telephonySessionId` and `body.sequence`',
      ]);
    }
  });

  it('routes by the body when `event` is missing or unknown: a telephony body is a telephony notification', () => {
    const notification: Record<string, unknown> = sampleNotification();
    delete notification.event;
    expect(interpretWebhook(raw(notification), {}, undefined)).toMatchObject({ action: 'telephony' });
    expect(interpretWebhook(raw({ ...notification, event: '/restapi/v2/new/sessions' }), {}, undefined)).toMatchObject({
      action: 'telephony',
    });
  });

  it('keeps unknown fields and values as received (the view is read, the raw bytes are what is produced)', () => {
    const notification = sampleNotification({ code: 'SomethingNew' });
    const party = notification.body.parties[0] as Record<string, unknown>;
    Object.assign(party, { direction: 'Sideways', conferenceRole: 'Chair', newField: { nested: [1, 2] } });
    Object.assign(notification.body, { origin: { type: 'Hologram' }, brandNew: true });
    const intake = interpretWebhook(raw(notification), {}, undefined);
    expect(intake).toEqual({ action: 'telephony', notification, notes: [] });
  });

  it('skips a party the pipeline cannot use (no id, no status.code) and keeps the others, with a note', () => {
    const notification = sampleNotification();
    const good = notification.body.parties[0];
    const body = {
      ...notification,
      body: { ...notification.body, parties: [{ status: { code: 'Setup' } }, good, { id: 'p-3', status: {} }, 'x'] },
    };
    const intake = interpretWebhook(raw(body), {}, undefined);
    expect(intake).toMatchObject({ action: 'telephony', notification: { body: { parties: [good] } } });
    expect(intake.action === 'telephony' && intake.notes).toEqual([
      '`body.parties[0].id` is missing or not a non-empty string: party skipped',
      '`body.parties[2].status.code` is missing or not a non-empty string: party skipped',
      '`body.parties[3]` is not an object: party skipped',
    ]);
  });

  it('leaves out of the view an optional field of the wrong type that the call model reads, and keeps the body', () => {
    const notification = sampleNotification();
    Object.assign(notification.body.parties[0] as object, {
      recordings: [{ id: 'r1', active: true }, null, { id: { no: 1 } }],
      uiCallInfo: { primary: { type: 7, value: 'x' }, additional: { type: 'QueueName', value: 'Sales' } },
    });
    const intake = interpretWebhook(raw(notification), {}, undefined);
    expect(intake).toMatchObject({
      action: 'telephony',
      notification: {
        body: { parties: [{ recordings: [{ id: 'r1', active: true }], uiCallInfo: { additional: { type: 'QueueName' } } }] },
      },
      notes: [
        '`body.parties[0].recordings[1]` is not an object: left out',
        '`body.parties[0].recordings[2].id` is not a string or number: left out',
        '`body.parties[0].uiCallInfo.primary.type` is not a string: left out',
      ],
    });
    const party = intake.action === 'telephony' ? intake.notification.body.parties[0] : undefined;
    expect(party?.uiCallInfo?.primary).toBeUndefined();
    Object.assign(notification.body.parties[0] as object, {
      recordings: 'none',
      uiCallInfo: { primary: { type: 'QueueName', value: 'Q' } },
    });
    expect(interpretWebhook(raw(notification), {}, undefined)).toMatchObject({
      notes: ['`body.parties[0].recordings` is not an array: left out'],
    });
  });

  it('dead-letters what the pipeline cannot use, naming the field', () => {
    const spoiled = (spoil: (n: ReturnType<typeof sampleNotification>) => void) => {
      const notification = sampleNotification();
      spoil(notification);
      return interpretWebhook(raw(notification), {}, undefined);
    };
    expect(spoiled((n) => Reflect.deleteProperty(n.body, 'telephonySessionId'))).toEqual({
      action: 'dead-letter',
      error: '`body.telephonySessionId` is missing or not a non-empty string',
    });
    expect(spoiled((n) => Object.assign(n.body, { parties: [] }))).toEqual({
      action: 'dead-letter',
      error: '`body.parties` is missing or empty',
    });
    expect(spoiled((n) => Object.assign(n.body, { parties: [{ id: 'p-1' }] }))).toEqual({
      action: 'dead-letter',
      error: '`body.parties[0].status.code` is missing or not a non-empty string (no party the pipeline can use)',
    });
    expect(spoiled((n) => Reflect.deleteProperty(n, 'body'))).toEqual({
      action: 'dead-letter',
      error: '`body` is missing or not an object',
    });
  });

  it("dead-letters RingCentral's mobile-push envelope (`pn_apns`, from the event-filter pages) with a clear reason", () => {
    const notification = sampleNotification();
    const push = { uuid: notification.uuid, ownerId: '200300400', pn_apns: { aps: { 'content-available': 1 }, ...notification } };
    expect(interpretWebhook(raw(push), { 'verification-token': 'secret' }, 'secret')).toEqual({
      action: 'dead-letter',
      error: '`pn_apns`: a mobile-push envelope, not a WebHook notification (no top-level `body`)',
    });
  });

  it('dead-letters a body over the size limit when it is genuine, refuses it when forged', () => {
    const body = raw({ ...sampleNotification(), padding: 'x'.repeat(2000) });
    expect(interpretWebhook(body, { 'verification-token': 'secret' }, 'secret', undefined, 1000)).toEqual({
      action: 'dead-letter',
      error: `body is larger than INGEST_BODY_LIMIT_BYTES (${body.length} > 1000 bytes)`,
    });
    expect(interpretWebhook(body, { 'verification-token': 'forged' }, 'secret', undefined, 1000).action).toBe('unauthorized');
    expect(interpretWebhook(body, {}, undefined, undefined, body.length).action).toBe('telephony');
  });

  it('classifies extension-list and subscription events as other events, by `event` or by the body', () => {
    const base = { uuid: '1', body: {} };
    expect(interpretWebhook(raw({ ...base, event: '/restapi/v1.0/account/1/extension' }), {}, undefined)).toMatchObject({
      action: 'other-event',
      kind: 'extension-list',
    });
    expect(interpretWebhook(raw({ ...base, event: '/restapi/v1.0/subscription/abc' }), {}, undefined)).toMatchObject({
      kind: 'subscription-renewal',
    });
    expect(interpretWebhook(raw({ body: { extensions: [{ extensionId: '1', eventType: 'Create' }] } }), {}, undefined)).toEqual({
      action: 'other-event',
      kind: 'extension-list',
      uuid: undefined,
      event: undefined,
      body: { extensions: [{ extensionId: '1', eventType: 'Create' }] },
    });
    expect(interpretWebhook(raw({ body: { extensionId: '1', eventType: 'Delete' } }), {}, undefined)).toMatchObject({
      kind: 'extension-list',
    });
    expect(interpretWebhook(raw({ body: { something: 1 } }), {}, undefined)).toMatchObject({ kind: 'other' });
  });

  it('dead-letters a JSON array and a non-object body', () => {
    expect(interpretWebhook(raw([1, 2]), {}, undefined)).toEqual({ action: 'dead-letter', error: 'body must be a JSON object' });
    expect(interpretWebhook(Buffer.from('null'), {}, undefined)).toEqual({ action: 'dead-letter', error: 'body must be a JSON object' });
  });
});

describe('interpretWebhook: every status code and reason of the spec is accepted, unknown ones too', () => {
  const codes = [...STATUS_CODES, 'VoiceMail', 'Voicemail', 'VMScreening', 'VoiceMailScreening', 'voicemail', 'FutureCode'];
  it.each(codes)('status.code %s', (code) => {
    const notification = singlePartyEvent({ code });
    const intake = interpretWebhook(raw(notification), {}, undefined, Date.parse(notification.body.eventTime));
    expect(intake).toEqual({ action: 'telephony', notification, notes: [] });
  });

  it.each([...STATUS_REASONS, 'SomeFutureReason'])('status.reason %s (with code Disconnected and Gone)', (reason) => {
    for (const code of ['Disconnected', 'Gone', 'Proceeding']) {
      const notification = singlePartyEvent({ code, reason });
      const intake = interpretWebhook(raw(notification), {}, undefined, Date.parse(notification.body.eventTime));
      expect(intake).toEqual({ action: 'telephony', notification, notes: [] });
    }
  });

  it('the lists are the spec lists', () => {
    // CallStatusInfo.code of RingCentral's spec, in its order (pinned here as the spec writes it).
    expect(STATUS_CODES.join(' ')).toBe(
      'Setup Proceeding Answered Disconnected Gone Parked Hold VoiceMail FaxReceive Tds VoiceMailScreening',
    );
    expect(STATUS_REASONS).toHaveLength(30);
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

describe('checkTelephonyNotification (shared with call-state)', () => {
  it('gives call-state the same view as ingest: derived uuid, usable parties only', () => {
    const notification = sampleNotification({ telephonySessionId: 's-view', sequence: 4 });
    const value: Record<string, unknown> = {
      ...notification,
      body: { ...notification.body, parties: [{ id: 'p-x' }, ...notification.body.parties] },
    };
    delete value.uuid;
    const checked = checkTelephonyNotification(JSON.parse(JSON.stringify(value)));
    expect(checked).toMatchObject({ ok: true, value: { uuid: 'derived:s-view:4', body: { parties: notification.body.parties } } });
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
