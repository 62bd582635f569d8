// Records on the completed-calls topic: produced by call-state, loaded by reporting, served by the API.
// Every record carries `schemaVersion` (of this shape) and `version` (monotonically increasing per leg or session:
// a re-emission after a late event has a higher one, and the higher one wins everywhere downstream).

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

export type EndedBy = 'agent' | 'customer' | 'unknown';
export type Direction = 'Inbound' | 'Outbound';

/** One ended leg: a party of a monitored extension in one telephony session. Times are epoch ms, 0 when absent. */
export interface CompletedLegRecord {
  kind: 'leg';
  schemaVersion: typeof RECORD_SCHEMA_VERSION;
  version: number;
  accountId: string;
  telephonySessionId: string;
  sessionId: string;
  partyId: string;
  extensionId: string;
  direction: Direction;
  originType: string;
  fromNumber: string;
  fromName: string;
  fromExtensionId: string;
  toNumber: string;
  toName: string;
  toExtensionId: string;
  queueCall: boolean;
  queueId: string;
  queueName: string;
  result: LegResult;
  /** The raw `status.reason` of the leg's end, '' when RingCentral sent none. */
  endReason: string;
  /** The status code that ended the leg (Disconnected, Gone, Parked, Voicemail, ...). */
  endStatus: string;
  endedBy: EndedBy;
  endedDuringHold: boolean;
  missedCall: boolean;
  startMs: number;
  ringStartMs: number;
  answerMs: number;
  endMs: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  durationMs: number;
  parkId: string;
  recorded: boolean;
  peerTelephonySessionId: string;
  eventCount: number;
  lastSequence: number;
}

/** One telephony session (call) as a whole: what queue statistics are computed from. */
export interface SessionSummaryRecord {
  kind: 'session';
  schemaVersion: typeof RECORD_SCHEMA_VERSION;
  version: number;
  accountId: string;
  telephonySessionId: string;
  sessionId: string;
  originType: string;
  /** Inbound when the call came from outside or to a monitored extension from another; Outbound when placed by one. */
  direction: Direction;
  fromNumber: string;
  toNumber: string;
  startMs: number;
  endMs: number;
  durationMs: number;
  queueId: string;
  queueName: string;
  queueEnterMs: number;
  firstAnswerMs: number;
  /** From entering the queue (or the first event) to the first agent answer; 0 when never answered. */
  waitMs: number;
  answeredByExtensionId: string;
  /** The caller left before any agent answered. */
  abandoned: boolean;
  legCount: number;
  eventCount: number;
  lastSequence: number;
}

export type CompletedRecord = CompletedLegRecord | SessionSummaryRecord;
