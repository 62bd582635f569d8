// callTimeline(telephonySessionId, timeZone): one call's legs explained from its stored party events, in ONE
// ClickHouse query (party_events, one row per event key: GROUP BY, as a failed write may have left a copy), folded
// by the call model's explainSession, the code call-state made the call's records with. The parties flagged as legs
// when stored are the legs (the monitored set call-state applied then, not today's).
import { explainSession, type PartyEvent, partyEventSchema } from '@callpulse/call-model';
import { tableNames } from '@callpulse/contracts';
import { ident, sql } from '@callpulse/platform';
import { InputError, QueryError } from '../errors.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type CallTimelineNode, timelineNode } from './timeline-node.js';

/** Events of one call beyond which it is not explained (a call has tens; this bounds the API's memory). */
export const MAX_TIMELINE_EVENTS = 20_000;
const MAX_ID_LENGTH = 200;

interface EventRow {
  party_id: string;
  leg: number | string;
  event: string;
}

export function callTimelineSql(database: string, telephonySessionId: string) {
  return sql`SELECT party_id, sequence, notification_uuid, max(leg) AS leg, any(event) AS event
    FROM ${ident(tableNames.partyEvents, database)}
    WHERE telephony_session_id = ${telephonySessionId}
    GROUP BY party_id, sequence, notification_uuid
    ORDER BY sequence, party_id, notification_uuid
    LIMIT ${MAX_TIMELINE_EVENTS + 1}`;
}

/** The stored rows as party events, and the extensions whose parties are legs. Pure. */
export function storedEvents(rows: readonly EventRow[]): { events: PartyEvent[]; legExtensions: Set<string> } {
  const legParties = new Set(rows.filter((row) => Number(row.leg) === 1).map((row) => row.party_id));
  const events = rows.map((row) => partyEventSchema.parse(JSON.parse(row.event)) as PartyEvent);
  const legExtensions = new Set(
    events.filter((event) => legParties.has(event.partyId) && event.extensionId !== null).map((event) => event.extensionId as string),
  );
  return { events, legExtensions };
}

/** null when no event of the call is stored (an unknown id, or a call without a monitored extension's party). */
export async function queryCallTimeline(
  runner: QueryRunner,
  database: string,
  telephonySessionId: string,
  timeZone: string,
): Promise<CallTimelineNode | null> {
  if (telephonySessionId === '' || telephonySessionId.length > MAX_ID_LENGTH) {
    throw new InputError(`telephonySessionId must be 1 to ${MAX_ID_LENGTH} characters`, 'telephonySessionId');
  }
  const rows = await runner.rows<EventRow>('callTimeline', callTimelineSql(database, telephonySessionId));
  if (rows.length === 0) return null;
  if (rows.length > MAX_TIMELINE_EVENTS) {
    throw new QueryError(`the call has more than ${MAX_TIMELINE_EVENTS} events: too many to explain here`, 'QUERY_BUDGET_EXCEEDED');
  }
  const { events, legExtensions } = storedEvents(rows);
  return timelineNode(
    explainSession(events, (extensionId) => legExtensions.has(extensionId)),
    timeZone,
  );
}
