// Decoding completed-calls messages: valid records pass, everything else is named precisely.

import { foldStoredSession, normaliseNotification, partyEventsRecords } from '@callpulse/call-model';
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { legRecord, sessionRecord } from '@callpulse/testkit/records';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../src/records/decode.js';
import { recordValues, toRow } from '../src/records/rows.js';

describe('decodeRecord', () => {
  it('accepts a session`s party events as the call model builds them', () => {
    const events = loadCapturedSession('inbound-ivr-agent.json').flatMap(normaliseNotification);
    const [record] = partyEventsRecords(
      foldStoredSession(events, (id) => id === '200300401'),
      events,
    );
    expect(decodeRecord(JSON.stringify({ ...record, futureField: 1 }))).toEqual({ ok: true, record });
  });

  it('accepts legs and sessions, ignoring fields it does not know', () => {
    const leg = legRecord();
    expect(decodeRecord(Buffer.from(JSON.stringify({ ...leg, futureField: 1 })))).toEqual({ ok: true, record: leg });
    expect(decodeRecord(JSON.stringify(sessionRecord()))).toEqual({ ok: true, record: sessionRecord() });
  });

  it.each([
    [null, /no value/],
    ['not json', /not valid JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"kind":"call"}', /`kind` must be "leg", "session" or "party-events", got "call"/],
    ['{"kind":"party-events","schemaVersion":1,"telephonySessionId":"s","legPartyIds":[],"events":[]}', /`events`/],
    [JSON.stringify({ ...legRecord(), partyId: '' }), /`partyId`/],
    [JSON.stringify({ ...legRecord(), talkMs: -1 }), /`talkMs`/],
    [JSON.stringify({ ...legRecord(), holdCount: 1.5 }), /`holdCount`/],
    [JSON.stringify({ ...legRecord(), startMs: 1e15 }), /`startMs`/],
    [JSON.stringify({ ...legRecord(), result: 'Exploded' }), /`result`/],
    [JSON.stringify({ ...legRecord(), schemaVersion: 2 }), /`schemaVersion`/],
    [JSON.stringify({ ...sessionRecord(), abandoned: 'yes' }), /`abandoned`/],
  ])('rejects %s', (value, error) => {
    const decoded = decodeRecord(value);
    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? '' : decoded.error).toMatch(error);
  });

  it('turns a record into a row with snake_case columns, 0/1 flags and start_time in seconds', () => {
    const row = toRow(recordValues(legRecord({ startMs: 1715677200999, endedDuringHold: true })), -1, 1700000000);
    expect(row).toMatchObject({
      telephony_session_id: 's-test-1',
      ended_during_hold: 1,
      start_time: 1715677200,
      sign: -1,
      start_ms: 1715677200999,
    });
    expect(row).not.toHaveProperty('kind');
  });
});
