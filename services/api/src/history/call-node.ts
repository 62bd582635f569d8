// A completed leg as the API shows it (GraphQL type Call), from a legs_latest row or a CompletedLegRecord.
import type { CompletedLegRecord, LegRecordRow } from '@callpulse/contracts';
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
