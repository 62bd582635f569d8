// Converters from the fold's state to the records on the completed-calls topic (packages/contracts/src/records.ts):
// a completed leg of an ended leg, the summary of a session.
import { type CompletedLegRecord, RECORD_SCHEMA_VERSION, type SessionSummaryRecord } from '@callpulse/contracts';
import type { Leg } from './leg.js';
import type { SessionState } from './session.js';

function checkVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) throw new Error(`record version must be a non-negative integer, got ${version}`);
}

/**
 * The completed record of an ended leg. Absent strings become '' and absent times 0, as the record type says.
 * A leg whose direction RingCentral did not send is reported as Inbound. Throws for a leg that has not ended.
 */
export function toCompletedLegRecord(leg: Leg, session: SessionState, version: number): CompletedLegRecord {
  checkVersion(version);
  if (!leg.ended || leg.result === null) {
    throw new Error(`leg ${leg.partyId} of session ${leg.telephonySessionId} has not ended: no completed record yet`);
  }
  const t = leg.timings;
  return {
    kind: 'leg',
    schemaVersion: RECORD_SCHEMA_VERSION,
    version,
    accountId: leg.accountId ?? session.summary.accountId ?? '',
    telephonySessionId: leg.telephonySessionId,
    sessionId: leg.sessionId || session.summary.sessionId,
    partyId: leg.partyId,
    extensionId: leg.extensionId,
    direction: leg.direction ?? 'Inbound',
    originType: leg.originType ?? '',
    fromNumber: leg.from.phoneNumber ?? '',
    fromName: leg.from.name ?? '',
    fromExtensionId: leg.from.extensionId ?? '',
    toNumber: leg.to.phoneNumber ?? '',
    toName: leg.to.name ?? '',
    toExtensionId: leg.to.extensionId ?? '',
    queueCall: leg.queueCall,
    queueId: leg.queueId ?? '',
    queueName: leg.queueName ?? '',
    result: leg.result,
    endReason: leg.endReason ?? '',
    endStatus: leg.endStatus ?? '',
    endedBy: leg.endedBy ?? 'unknown',
    endedDuringHold: leg.endedDuringHold,
    missedCall: leg.missedCall,
    startMs: t.startMs,
    ringStartMs: t.ringStartMs ?? 0,
    answerMs: t.answerMs ?? 0,
    endMs: t.endMs ?? 0,
    ringMs: t.ringMs,
    talkMs: t.talkMs,
    holdMs: t.holdMs,
    holdCount: t.holdCount,
    durationMs: t.durationMs,
    parkId: leg.parkId ?? '',
    recorded: leg.recorded,
    peerTelephonySessionId: leg.peerTelephonySessionId ?? '',
    eventCount: leg.eventCount,
    lastSequence: leg.lastSequence,
  };
}

/** The summary record of a session (ended or not: `endMs` 0 while it goes on). */
export function toSessionSummaryRecord(session: SessionState, version: number): SessionSummaryRecord {
  checkVersion(version);
  const s = session.summary;
  return {
    kind: 'session',
    schemaVersion: RECORD_SCHEMA_VERSION,
    version,
    accountId: s.accountId ?? '',
    telephonySessionId: s.telephonySessionId,
    sessionId: s.sessionId,
    originType: s.originType ?? '',
    direction: s.direction,
    fromNumber: s.fromNumber ?? '',
    toNumber: s.toNumber ?? '',
    startMs: s.startMs,
    endMs: s.endMs ?? 0,
    durationMs: s.durationMs,
    queueId: s.queueId ?? '',
    queueName: s.queueName ?? '',
    queueEnterMs: s.queueEnterMs ?? 0,
    firstAnswerMs: s.firstAnswerMs ?? 0,
    waitMs: s.waitMs,
    answeredByExtensionId: s.answeredByExtensionId ?? '',
    abandoned: s.abandoned,
    legCount: s.legCount,
    eventCount: s.eventCount,
    lastSequence: s.lastSequence,
  };
}
