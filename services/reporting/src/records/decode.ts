// Decoding a message from the completed-calls topic: JSON, then the record schemas of the contract
// (packages/contracts/src/records.ts), or the call model's for a session's party events (kind `party-events`).
// Unknown extra fields are ignored; a missing or malformed field is named in the error, which goes with the message
// to the dead-letter topic.
import { PARTY_EVENTS_KIND, type PartyEventsRecord, partyEventsRecordSchema } from '@callpulse/call-model';
import { type CompletedRecord, recordSchemaOf } from '@callpulse/contracts';

/** What the completed-calls topic carries: completed legs and session summaries, and the events they came from. */
export type ReportedRecord = CompletedRecord | PartyEventsRecord;

export type Decoded = { ok: true; record: ReportedRecord } | { ok: false; error: string };

export function decodeRecord(value: Buffer | string | null | undefined): Decoded {
  if (value === null || value === undefined || value.length === 0) return { ok: false, error: 'message has no value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `value is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'value is not a JSON object' };
  const kind = (parsed as { kind?: unknown }).kind;
  const schema = kind === PARTY_EVENTS_KIND ? partyEventsRecordSchema : recordSchemaOf(kind);
  if (!schema) {
    return { ok: false, error: `\`kind\` must be "leg", "session" or "${PARTY_EVENTS_KIND}", got ${JSON.stringify(kind) ?? 'nothing'}` };
  }
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, record: result.data as ReportedRecord };
  const problems = result.error.issues.map((issue) => `\`${issue.path.join('.') || '(record)'}\`: ${issue.message}`);
  return { ok: false, error: `not a valid ${kind} record: ${problems.join('; ')}` };
}
