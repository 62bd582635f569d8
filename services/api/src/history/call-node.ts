// A completed leg as the API shows it (GraphQL type Call), from a legs_latest row or a CompletedLegRecord.
import { type CompletedLegRecord, type LegRecordColumn, type LegRecordRow, legRecordColumns } from '@callpulse/contracts';
import { isoInstant, isoInstantOrNull } from './time-range.js';

export interface Endpoint {
  phoneNumber: string | null;
  name: string | null;
  extensionId: string | null;
}

export interface CallNode {
  telephonySessionId: string;
  sessionId: string;
  partyId: string;
  extensionId: string;
  accountId: string;
  direction: string;
  originType: string;
  result: string;
  endReason: string | null;
  endStatus: string;
  endedBy: string;
  endedDuringHold: boolean;
  missedCall: boolean;
  startTime: string;
  ringStartTime: string | null;
  answerTime: string | null;
  endTime: string | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  durationMs: number;
  queueId: string | null;
  queueName: string | null;
  from: Endpoint;
  to: Endpoint;
  recorded: boolean;
  parkId: string | null;
  peerTelephonySessionId: string | null;
  version: number;
}

/** A leg as the API reads it from legs: every column a record fills (packages/contracts/src/clickhouse/tables.ts). */
export type LegRow = LegRecordRow;

const text = (value: string): string | null => (value === '' ? null : value);
const endpoint = (phoneNumber: string, name: string, extensionId: string): Endpoint => ({
  phoneNumber: text(phoneNumber),
  name: text(name),
  extensionId: text(extensionId),
});

export function callFromRecord(r: CompletedLegRecord): CallNode {
  return {
    telephonySessionId: r.telephonySessionId,
    sessionId: r.sessionId,
    partyId: r.partyId,
    extensionId: r.extensionId,
    accountId: r.accountId,
    direction: r.direction,
    originType: r.originType,
    result: r.result,
    endReason: text(r.endReason),
    endStatus: r.endStatus,
    endedBy: r.endedBy,
    endedDuringHold: r.endedDuringHold,
    missedCall: r.missedCall,
    startTime: isoInstant(r.startMs),
    ringStartTime: isoInstantOrNull(r.ringStartMs),
    answerTime: isoInstantOrNull(r.answerMs),
    endTime: isoInstantOrNull(r.endMs),
    ringMs: r.ringMs,
    talkMs: r.talkMs,
    holdMs: r.holdMs,
    holdCount: r.holdCount,
    durationMs: r.durationMs,
    queueId: text(r.queueId),
    queueName: text(r.queueName),
    from: endpoint(r.fromNumber, r.fromName, r.fromExtensionId),
    to: endpoint(r.toNumber, r.toName, r.toExtensionId),
    recorded: r.recorded,
    parkId: text(r.parkId),
    peerTelephonySessionId: text(r.peerTelephonySessionId),
    version: r.version,
  };
}

export function callFromRow(row: LegRow): CallNode {
  return callFromRecord({
    kind: 'leg',
    schemaVersion: 1,
    version: Number(row.version),
    accountId: row.account_id,
    telephonySessionId: row.telephony_session_id,
    sessionId: row.session_id,
    partyId: row.party_id,
    extensionId: row.extension_id,
    direction: row.direction as CompletedLegRecord['direction'],
    originType: row.origin_type,
    fromNumber: row.from_number,
    fromName: row.from_name,
    fromExtensionId: row.from_extension_id,
    toNumber: row.to_number,
    toName: row.to_name,
    toExtensionId: row.to_extension_id,
    queueCall: row.queue_id !== '',
    queueId: row.queue_id,
    queueName: row.queue_name,
    result: row.result as CompletedLegRecord['result'],
    endReason: row.end_reason,
    endStatus: row.end_status,
    endedBy: row.ended_by as CompletedLegRecord['endedBy'],
    endedDuringHold: Number(row.ended_during_hold) === 1,
    missedCall: Number(row.missed_call) === 1,
    startMs: Number(row.start_ms),
    ringStartMs: Number(row.ring_start_ms),
    answerMs: Number(row.answer_ms),
    endMs: Number(row.end_ms),
    ringMs: Number(row.ring_ms),
    talkMs: Number(row.talk_ms),
    holdMs: Number(row.hold_ms),
    holdCount: Number(row.hold_count),
    durationMs: Number(row.duration_ms),
    parkId: row.park_id,
    recorded: Number(row.recorded) === 1,
    peerTelephonySessionId: row.peer_telephony_session_id,
    eventCount: 0,
    lastSequence: 0,
  });
}

/**
 * The legs columns callFromRow makes each Call field from (`agent`: the directory's entry of extension_id). A page reads
 * only the columns of the fields asked for: on the bench's month sorted by talk, the page's 101 rows lie in ~100
 * granules, and the explorer's 25 columns of the 38 read in 64 instead of 77 ms.
 */
const callFieldColumns: Record<keyof CallNode | 'agent', readonly LegRecordColumn[]> = {
  telephonySessionId: ['telephony_session_id'],
  sessionId: ['session_id'],
  partyId: ['party_id'],
  extensionId: ['extension_id'],
  agent: ['extension_id'],
  accountId: ['account_id'],
  direction: ['direction'],
  originType: ['origin_type'],
  result: ['result'],
  endReason: ['end_reason'],
  endStatus: ['end_status'],
  endedBy: ['ended_by'],
  endedDuringHold: ['ended_during_hold'],
  missedCall: ['missed_call'],
  startTime: ['start_ms'],
  ringStartTime: ['ring_start_ms'],
  answerTime: ['answer_ms'],
  endTime: ['end_ms'],
  ringMs: ['ring_ms'],
  talkMs: ['talk_ms'],
  holdMs: ['hold_ms'],
  holdCount: ['hold_count'],
  durationMs: ['duration_ms'],
  queueId: ['queue_id'],
  queueName: ['queue_name'],
  from: ['from_number', 'from_name', 'from_extension_id'],
  to: ['to_number', 'to_name', 'to_extension_id'],
  recorded: ['recorded'],
  parkId: ['park_id'],
  peerTelephonySessionId: ['peer_telephony_session_id'],
  version: ['version'],
};

/** What every page reads whatever is asked: the leg's key and start (the cursor's and the page's order). */
const keyColumns: readonly LegRecordColumn[] = ['telephony_session_id', 'party_id', 'start_ms', 'version'];

/** The columns a page of Call nodes reads for `fields` (the node's field names asked for), in legRecordColumns' order. */
export function callColumns(fields: Iterable<string>): LegRecordColumn[] {
  const read = new Set<LegRecordColumn>(keyColumns);
  for (const field of fields) for (const column of callFieldColumns[field as keyof typeof callFieldColumns] ?? []) read.add(column);
  return legRecordColumns.filter((column) => read.has(column));
}

/**
 * The SELECT list of legRecordColumns reading only `read`: the others come as empty text (callFromRow makes a field of
 * nothing asked from them), named unread_* (an alias named like a column would replace it in the WHERE).
 */
export const legRowColumns = (read: readonly string[]): string[] =>
  legRecordColumns.map((name) => (read.includes(name) ? name : `'' AS unread_${name}`));
