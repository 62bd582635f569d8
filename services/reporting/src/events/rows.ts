// Party events as rows of the party_events table (the columns of packages/contracts/src/clickhouse/tables.ts), and
// the key that identifies one: a party's change at one sequence in one notification. Pure.
import { isSyntheticEnd, type PartyEventsRecord } from '@callpulse/call-model';
import type { PartyEventsRow } from '@callpulse/contracts';

/** A party event's identity in the table (ORDER BY of migration 0007). */
export type EventKey = Pick<PartyEventsRow, 'telephony_session_id' | 'party_id' | 'sequence' | 'notification_uuid'>;

export const eventKey = (row: EventKey): string =>
  JSON.stringify([row.telephony_session_id, row.party_id, Number(row.sequence), row.notification_uuid]);

/** A row to insert: the table's columns, DateTime as epoch seconds (as the legs writer inserts them). */
export type EventRow = Omit<PartyEventsRow, 'event_time' | 'inserted_at'> & { event_time: number; inserted_at: number };

/** The rows of a record's events; `inserted_at` in seconds. */
export function partyEventRows(record: PartyEventsRecord, insertedAtSeconds: number): EventRow[] {
  const legs = new Set(record.legPartyIds);
  return record.events.map((event) => ({
    telephony_session_id: event.telephonySessionId,
    party_id: event.partyId,
    sequence: event.sequence,
    notification_uuid: event.notificationUuid,
    event_time: Math.floor(event.eventTimeMs / 1000),
    event_ms: event.eventTimeMs,
    account_id: event.accountId ?? '',
    session_id: event.sessionId,
    extension_id: event.extensionId ?? '',
    direction: event.direction ?? '',
    status_code: event.statusCode,
    raw_status_code: event.rawStatusCode,
    reason: event.reason ?? '',
    leg: legs.has(event.partyId) ? 1 : 0,
    synthetic: isSyntheticEnd(event) ? 1 : 0,
    event: JSON.stringify(event),
    inserted_at: insertedAtSeconds,
  }));
}
