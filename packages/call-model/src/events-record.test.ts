// The party-events records call-state sends and reporting decodes: whole events through JSON and the schema, in
// records of at most PARTY_EVENTS_PER_RECORD, only for sessions with legs; what they carry explains the same legs.
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { buildScenario } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import {
  explainSession,
  foldStoredSession,
  PARTY_EVENTS_PER_RECORD,
  type PartyEvent,
  partyEventsRecordSchema,
  partyEventsRecords,
  timeoutEvents,
} from './index.js';
import { eventsOf } from './testing/helpers.js';

const agent = '200300401';
const captured = eventsOf(loadCapturedSession('inbound-ivr-agent.json'));

describe('partyEventsRecords', () => {
  it('carries every event, synthetic ends included, through JSON and the schema unchanged', () => {
    const open = captured.filter((event) => event.sequence <= 8);
    const stored = [...open, ...timeoutEvents(open)];
    const records = partyEventsRecords(
      foldStoredSession(stored, (id) => id === agent),
      stored,
    );
    expect(records).toHaveLength(1);
    const decoded = partyEventsRecordSchema.parse(JSON.parse(JSON.stringify(records[0])));
    expect(decoded).toEqual(records[0]);
    expect(decoded.events).toHaveLength(stored.length);
    expect(decoded.legPartyIds).toEqual([captured.find((event) => event.extensionId === agent)?.partyId]);
    // What reporting stores explains the legs exactly as the events call-state folded.
    const legs = new Set(decoded.legPartyIds);
    const monitored = new Set(decoded.events.filter((event) => legs.has(event.partyId)).map((event) => event.extensionId));
    expect(explainSession(decoded.events, (id) => monitored.has(id))).toEqual(explainSession(stored, (id) => id === agent));
  });

  it('gives none for a session without legs, and splits a long session', () => {
    expect(
      partyEventsRecords(
        foldStoredSession(captured, () => false),
        captured,
      ),
    ).toEqual([]);
    const scenario = buildScenario('inbound-answered-two-holds', { seed: 1 });
    const events = eventsOf(scenario.notifications.map((timed) => timed.notification));
    const first = events[0] as PartyEvent;
    const many = Array.from({ length: 250 }, (_, i) => ({ ...first, sequence: 1000 + i, notificationUuid: `u-${i}`, statusCode: 'Tds' }));
    const all = [...events, ...many];
    const records = partyEventsRecords(
      foldStoredSession(all, (id) => scenario.monitoredExtensionIds.includes(id)),
      all,
    );
    expect(records.map((record) => record.events.length)).toEqual([PARTY_EVENTS_PER_RECORD, PARTY_EVENTS_PER_RECORD, all.length - 200]);
    expect(records.flatMap((record) => record.events.map((event) => event.sequence))).toEqual(
      [...all].map((event) => event.sequence).sort((a, b) => a - b),
    );
  });

  it('refuses what is not a whole event, naming the field', () => {
    const [record] = partyEventsRecords(
      foldStoredSession(captured, (id) => id === agent),
      captured,
    );
    const broken = JSON.parse(JSON.stringify(record));
    broken.events[2].sequence = -1;
    const parsed = partyEventsRecordSchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['events', 2, 'sequence']);
  });
});
