// The party events of a session as call-state emits them to the completed-calls topic (kind `party-events`), so that
// reporting keeps them in ClickHouse and the API can explain a stored call with the fold that made its records: every
// event call-state folded (the reaper's synthetic ends included), and which parties are the session's legs. Only
// sessions with legs have them, like the legs table. Long sessions come in several records; each is whole on its own.
// Pure: the zod schema reporting decodes with, and the builder call-state sends from.
import { directions } from '@callpulse/contracts';
import { z } from 'zod';
import { compareEvents } from './order.js';
import type { PartyEvent } from './party-event.js';
import type { SessionState } from './session.js';

export const PARTY_EVENTS_KIND = 'party-events';
export const PARTY_EVENTS_SCHEMA_VERSION = 1;
/** Events per record: about 100 KB of JSON at most, well under a Kafka message's limit. */
export const PARTY_EVENTS_PER_RECORD = 100;

const text = z.string().nullable();
const endpoint = z.object({ phoneNumber: text, name: text, extensionId: text });

/** A normalised party event (party-event.ts), as it travels in a record. Unknown fields are dropped. */
export const partyEventSchema = z.object({
  notificationUuid: z.string().min(1),
  telephonySessionId: z.string().min(1),
  sessionId: z.string(),
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  eventTimeMs: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  originType: text,
  accountId: text,
  partyId: z.string().min(1),
  extensionId: text,
  direction: z.enum(directions).nullable(),
  from: endpoint,
  to: endpoint,
  statusCode: z.string().min(1),
  rawStatusCode: z.string().min(1),
  reason: text,
  missedCall: z.boolean(),
  queueCall: z.boolean(),
  queueId: text,
  queueName: text,
  parkId: text,
  recordings: z.array(z.object({ id: z.string(), active: z.boolean() })),
  peer: z.object({ sessionId: text, telephonySessionId: text, partyId: text }).nullable(),
  muted: z.boolean().optional(),
  standAlone: z.boolean().optional(),
  conferenceRole: text.optional(),
});

export const partyEventsRecordSchema = z.object({
  kind: z.literal(PARTY_EVENTS_KIND),
  schemaVersion: z.number().int().positive(),
  telephonySessionId: z.string().min(1),
  /** The parties that are legs of the session (monitored extensions) in the fold that sent the record. */
  legPartyIds: z.array(z.string().min(1)),
  events: z.array(partyEventSchema).min(1).max(PARTY_EVENTS_PER_RECORD),
});

export type PartyEventsRecord = z.infer<typeof partyEventsRecordSchema>;

// The schema and the PartyEvent type say the same: a compile error here when one changes without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.infer<typeof partyEventSchema>, PartyEvent> = true;
void schemaMatchesType;

/**
 * The records of a session's events: every event given (in the fold's order), in records of at most
 * PARTY_EVENTS_PER_RECORD, with the session's legs; none for a session without legs.
 */
export function partyEventsRecords(session: SessionState, events: Iterable<PartyEvent>): PartyEventsRecord[] {
  if (session.legs.length === 0) return [];
  const ordered = [...events].filter((event) => event.telephonySessionId === session.telephonySessionId).sort(compareEvents);
  const legPartyIds = session.legs.map((leg) => leg.partyId);
  const records: PartyEventsRecord[] = [];
  for (let start = 0; start < ordered.length; start += PARTY_EVENTS_PER_RECORD) {
    records.push({
      kind: PARTY_EVENTS_KIND,
      schemaVersion: PARTY_EVENTS_SCHEMA_VERSION,
      telephonySessionId: session.telephonySessionId,
      legPartyIds,
      events: ordered.slice(start, start + PARTY_EVENTS_PER_RECORD),
    });
  }
  return records;
}
