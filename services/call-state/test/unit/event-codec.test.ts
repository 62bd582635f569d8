// The stored form of a party event: decode(encode(event)) is the event again, field for field and in the same key order
// (generated events, every scenario's events, the reaper's synthetic ends), and the JSON objects earlier releases
// stored are still read.

import { normaliseNotification, type PartyEvent, timeoutEvents } from '@callpulse/call-model';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from '../../src/store/event-codec.js';

const text = fc.option(fc.string({ unit: 'binary', maxLength: 12 }), { nil: null });
const endpoint = fc.record({ phoneNumber: text, name: text, extensionId: text }, { noNullPrototype: true });

/** Every key of PartyEvent but the optional ones (muted, standAlone, conferenceRole). */
const requiredKeys = [
  'notificationUuid',
  'telephonySessionId',
  'sessionId',
  'sequence',
  'eventTimeMs',
  'originType',
  'accountId',
  'partyId',
  'extensionId',
  'direction',
  'from',
  'to',
  'statusCode',
  'rawStatusCode',
  'reason',
  'missedCall',
  'queueCall',
  'queueId',
  'queueName',
  'parkId',
  'recordings',
  'peer',
] as const;

/** Any event of the PartyEvent type: optional fields absent, or present with any of their values. */
const partyEvent: fc.Arbitrary<PartyEvent> = fc.record(
  {
    notificationUuid: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    telephonySessionId: fc.constantFrom('s-1', 's-2', 's-[1,"x"]'),
    sessionId: fc.string({ maxLength: 14 }),
    sequence: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    eventTimeMs: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    originType: text,
    accountId: text,
    partyId: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
    extensionId: text,
    direction: fc.constantFrom('Inbound' as const, 'Outbound' as const, null),
    from: endpoint,
    to: endpoint,
    statusCode: fc.constantFrom('Setup', 'Proceeding', 'Answered', 'Disconnected', 'Gone', 'Hold', 'Weird'),
    rawStatusCode: fc.constantFrom('Setup', 'Answered', 'ANSWERED', 'disconnected', 'Weird'),
    reason: text,
    missedCall: fc.boolean(),
    queueCall: fc.boolean(),
    queueId: text,
    queueName: text,
    parkId: text,
    recordings: fc.array(fc.record({ id: fc.string({ maxLength: 8 }), active: fc.boolean() }, { noNullPrototype: true }), { maxLength: 3 }),
    peer: fc.option(fc.record({ sessionId: text, telephonySessionId: text, partyId: text }, { noNullPrototype: true }), { nil: null }),
    muted: fc.boolean(),
    standAlone: fc.boolean(),
    conferenceRole: text,
  },
  { requiredKeys, noNullPrototype: true },
);

const roundTrip = (event: PartyEvent, session: string) => decodeEvent(encodeEvent(event, session), session);

function scenarioEvents(): PartyEvent[] {
  return scenarioNames.flatMap((name) =>
    buildScenario(name, { seed: 7 }).notifications.flatMap((timed) => normaliseNotification(timed.notification)),
  );
}

describe('the stored form of a party event', () => {
  it('gives back every generated event, field for field and in the same order', () => {
    fc.assert(
      fc.property(partyEvent, fc.constantFrom('s-1', 's-2'), (event, session) => {
        const decoded = roundTrip(event, session);
        expect(decoded).toStrictEqual(event);
        expect(JSON.stringify(decoded)).toBe(JSON.stringify(event));
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves out the session's own id and keeps another one", () => {
    const [event] = scenarioEvents();
    if (!event) throw new Error('no scenario events');
    expect(encodeEvent(event, event.telephonySessionId)).not.toContain(event.telephonySessionId);
    expect(roundTrip(event, event.telephonySessionId)).toStrictEqual(event);
    expect(decodeEvent(encodeEvent(event, 's-other'), 's-other')).toStrictEqual(event);
  });

  it("gives back every scenario's events and the reaper's synthetic ends, in a third of the JSON object's bytes", () => {
    const events = scenarioEvents();
    // The reaper's ends of a session cut short after its first events.
    const ends = timeoutEvents(events.filter((event) => event.telephonySessionId === events[0]?.telephonySessionId).slice(0, 3));
    expect(ends.length).toBeGreaterThan(0);
    let compact = 0;
    let json = 0;
    for (const event of [...events, ...ends]) {
      const stored = encodeEvent(event, event.telephonySessionId);
      expect(JSON.stringify(decodeEvent(stored, event.telephonySessionId))).toBe(JSON.stringify(event));
      compact += Buffer.byteLength(stored);
      json += Buffer.byteLength(JSON.stringify(event));
    }
    expect(compact / json).toBeLessThan(0.4);
  });

  it('reads the JSON objects earlier releases stored', () => {
    fc.assert(
      fc.property(partyEvent, (event) => {
        expect(decodeEvent(JSON.stringify(event), 's-elsewhere')).toStrictEqual(event);
      }),
    );
    for (const event of scenarioEvents()) {
      expect(decodeEvent(JSON.stringify(event), event.telephonySessionId)).toStrictEqual(event);
    }
  });

  it('refuses a layout it does not know, naming it', () => {
    expect(() => decodeEvent('[2,null,"u"]', 's-1')).toThrow(/layout 2, not 1/);
  });
});
