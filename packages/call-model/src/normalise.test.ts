// Normalising notifications into party events: every field the fold and the records need, plain JSON.
import { describe, expect, it } from 'vitest';
import { canonicalStatusCode, normaliseNotification, partyEventKey } from './index.js';
import { agent, base, caller, note, session } from './testing/build.js';

describe('normaliseNotification', () => {
  it('takes ids, sequence, event time (not arrival), parties, queue, park, peer and recordings', () => {
    const notification = note(
      7,
      base + 1234,
      [
        {
          ...agent,
          to: { phoneNumber: '+18885550100', extensionId: '900' },
          queueCall: true,
          missedCall: true,
          park: { id: '*802' },
          recordings: [{ id: 'rec-1', active: true }],
          uiCallInfo: { primary: { type: 'QueueName', value: 'Sales' }, additional: { type: 'CallerIdName', value: 'Pat' } },
          status: {
            code: 'VoiceMail',
            reason: 'Voicemail',
            peerId: { sessionId: '1', telephonySessionId: 's-other', partyId: 'p-other-1' },
          },
        },
      ],
      'uuid-7',
    );
    expect(normaliseNotification(notification)).toEqual([
      {
        notificationUuid: 'uuid-7',
        telephonySessionId: session,
        sessionId: '901234567001',
        sequence: 7,
        eventTimeMs: base + 1234,
        originType: 'Call',
        accountId: '100200300',
        partyId: agent.id,
        extensionId: '101',
        direction: 'Inbound',
        from: { phoneNumber: '+15550100999', name: 'Pat Caller', extensionId: null },
        to: { phoneNumber: '+18885550100', name: null, extensionId: '900' },
        statusCode: 'Voicemail',
        rawStatusCode: 'VoiceMail',
        reason: 'Voicemail',
        missedCall: true,
        queueCall: true,
        queueId: '900',
        queueName: 'Sales',
        parkId: '*802',
        recordings: [{ id: 'rec-1', active: true }],
        peer: { sessionId: '1', telephonySessionId: 's-other', partyId: 'p-other-1' },
        muted: false,
        standAlone: false,
        conferenceRole: null,
      },
    ]);
  });

  it('reads muted, standAlone, conferenceRole, and the park extension of parkData when park.id is absent', () => {
    const [event] = normaliseNotification(
      note(9, base, [{ ...agent, muted: true, standAlone: true, conferenceRole: 'Host', status: { code: 'Parked', parkData: '*805' } }]),
    );
    expect(event).toMatchObject({ muted: true, standAlone: true, conferenceRole: 'Host', parkId: '*805', statusCode: 'Parked' });
  });

  it('leaves extensionId null for a PSTN party and the queue empty outside queue calls', () => {
    const [event] = normaliseNotification(note(2, base, [{ ...caller, to: { extensionId: '900' }, status: { code: 'Setup' } }]));
    expect(event).toMatchObject({
      extensionId: null,
      direction: 'Outbound',
      queueCall: false,
      queueId: null,
      queueName: null,
      peer: null,
      parkId: null,
    });
  });

  it('compares status codes case-insensitively and keeps unknown ones', () => {
    expect(['VoiceMail', 'Voicemail', 'VOICEMAIL', ' voicemail '].map(canonicalStatusCode)).toEqual([
      'Voicemail',
      'Voicemail',
      'Voicemail',
      'Voicemail',
    ]);
    expect(canonicalStatusCode('answered')).toBe('Answered');
    expect(canonicalStatusCode('voicemailscreening')).toBe('VoiceMailScreening');
    expect(canonicalStatusCode('VMScreening')).toBe('VoiceMailScreening'); // the guide's spelling
    expect(canonicalStatusCode('Teleporting')).toBe('Teleporting');
  });

  it('rejects an eventTime that is not a time, naming the notification', () => {
    const bad = note(2, base, [{ ...agent, status: { code: 'Setup' } }], 'uuid-bad');
    bad.body.eventTime = 'yesterday';
    expect(() => normaliseNotification(bad)).toThrow(/notification uuid-bad: body.eventTime "yesterday" is not an ISO-8601 time/);
  });

  it('keys events by sequence and party', () => {
    const [event] = normaliseNotification(note(12, base, [{ ...agent, status: { code: 'Hold' } }]));
    expect(event && partyEventKey(event)).toBe(`12:${agent.id}`);
  });

  it('produces plain JSON', () => {
    const events = normaliseNotification(
      note(3, base, [
        { ...caller, status: { code: 'Setup' } },
        { ...agent, status: { code: 'Setup' } },
      ]),
    );
    expect(JSON.parse(JSON.stringify(events))).toStrictEqual(events);
  });
});
