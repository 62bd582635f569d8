// Records on the completed-calls topic: produced by call-state, loaded by reporting, served by the API. The zod schemas
// are the contract; the TypeScript types are derived from them, and reporting decodes every message with them.
// Every record carries `schemaVersion` (of this shape) and `version` (monotonically increasing per leg or session:
// a re-emission after a late event has a higher one, and the higher one wins everywhere downstream).
import { z } from 'zod';

export const RECORD_SCHEMA_VERSION = 1;

export const legResults = [
  'Answered',
  'Missed',
  'Voicemail',
  'Cancelled',
  'Parked',
  'Transferred',
  'AnsweredElsewhere',
  'Rejected',
  'Busy',
  'Failed',
  'Redirected',
  'Fax',
  'Supervision',
  'Unknown',
] as const;
export type LegResult = (typeof legResults)[number];

/**
 * Results of legs that are no call an agent handled: a received fax, a ringing leg the call was routed away from, a
 * supervisor's party. They are recorded like every leg (and listed by `calls`), but kept out of the agents' figures:
 * today's counters, `callStats`, `hourlyDensity`, unless a filter asks for them by result (docs/call-model.md).
 */
export const nonCallResults: readonly LegResult[] = ['Fax', 'Redirected', 'Supervision'];

export const endedByValues = ['agent', 'customer', 'unknown'] as const;
export type EndedBy = (typeof endedByValues)[number];
export const directions = ['Inbound', 'Outbound'] as const;
export type Direction = (typeof directions)[number];

// What ClickHouse can store (clickhouse/tables.ts): a DateTime ends in 2106, counts are UInt32.
/** Largest epoch ms a ClickHouse DateTime can hold (2106-02-07). */
const maxEpochMs = 4294967295 * 1000;
const maxUInt32 = 4294967295;

const text = z.string();
const id = z.string().min(1);
const flag = z.boolean();
/** Epoch ms; 0 when absent. */
const epochMs = z.number().int().min(0).max(maxEpochMs);
const durationMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0).max(maxUInt32);

const common = {
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
  version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  accountId: text,
  telephonySessionId: id,
  sessionId: text,
  originType: text,
  direction: z.enum(directions),
  fromNumber: text,
  toNumber: text,
  queueId: text,
  queueName: text,
  startMs: epochMs,
  endMs: epochMs,
  durationMs,
  eventCount: count,
  lastSequence: durationMs,
};

/** One ended leg: a party of a monitored extension in one telephony session. Times are epoch ms, 0 when absent. */
export const completedLegRecordSchema = z.object({
  kind: z.literal('leg'),
  ...common,
  partyId: id,
  extensionId: text,
  fromName: text,
  fromExtensionId: text,
  toName: text,
  toExtensionId: text,
  queueCall: flag,
  result: z.enum(legResults),
  /** The raw `status.reason` of the leg's end, '' when RingCentral sent none. */
  endReason: text,
  /** The status code that ended the leg (Disconnected, Gone, Parked, Voicemail, ...). */
  endStatus: text,
  endedBy: z.enum(endedByValues),
  endedDuringHold: flag,
  missedCall: flag,
  ringStartMs: epochMs,
  answerMs: epochMs,
  ringMs: durationMs,
  talkMs: durationMs,
  holdMs: durationMs,
  holdCount: count,
  parkId: text,
  recorded: flag,
  peerTelephonySessionId: text,
});

/**
 * One telephony session (call) as a whole: what queue statistics are computed from. `direction` is Inbound when the
 * call came from outside or to a monitored extension from another, Outbound when placed by one.
 */
export const sessionSummaryRecordSchema = z.object({
  kind: z.literal('session'),
  ...common,
  queueEnterMs: epochMs,
  firstAnswerMs: epochMs,
  /** From entering the queue (or the first event) to the first agent answer; 0 when never answered. */
  waitMs: durationMs,
  answeredByExtensionId: text,
  /** The caller left before any agent answered. */
  abandoned: flag,
  legCount: count,
});

export type CompletedLegRecord = z.infer<typeof completedLegRecordSchema>;
export type SessionSummaryRecord = z.infer<typeof sessionSummaryRecordSchema>;
export type CompletedRecord = CompletedLegRecord | SessionSummaryRecord;

/** The schema of a record of this kind, or undefined for another kind. */
export function recordSchemaOf(kind: unknown) {
  return kind === 'leg' ? completedLegRecordSchema : kind === 'session' ? sessionSummaryRecordSchema : undefined;
}
