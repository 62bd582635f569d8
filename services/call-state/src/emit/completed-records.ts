// Pure: which completed records a folded session owes, given what was emitted before. A record is owed when its
// content differs from the last one emitted for that leg (or the session). Its version is allocated in Redis before it
// is sent (store/emission-ledger.ts) and stamped on it here.
import { createHash } from 'node:crypto';
import { type SessionState, toCompletedLegRecord, toSessionSummaryRecord } from '@callpulse/call-model';
import type { CompletedLegRecord, CompletedRecord, SessionSummaryRecord } from '@callpulse/contracts';
import { countedLeg, type Emitted, SESSION_EMIT_KEY } from '../store/emitted.js';

export interface OwedRecord {
  emitKey: string;
  /** The record with version 0: the version is allocated before the send. */
  unversioned: CompletedRecord;
  fingerprint: string;
  previous: Emitted | undefined;
}

export interface StampedRecord {
  emitKey: string;
  record: CompletedRecord;
  previous: Emitted | undefined;
  /** What to record as emitted once Kafka acknowledged the record. */
  emitted: Emitted;
}

/** A short digest of the record's content (everything but the version). */
export function fingerprint(record: CompletedRecord): string {
  return createHash('sha1')
    .update(JSON.stringify({ ...record, version: 0 }))
    .digest('base64');
}

function owe(emitKey: string, unversioned: CompletedRecord, previous: Emitted | undefined): OwedRecord | undefined {
  const print = fingerprint(unversioned);
  if (previous?.fingerprint === print) return undefined;
  return { emitKey, unversioned, fingerprint: print, previous };
}

export function owedRecords(session: SessionState, emitted: ReadonlyMap<string, Emitted>): OwedRecord[] {
  const owed: OwedRecord[] = [];
  for (const leg of session.legs) {
    if (!leg.ended) continue;
    const record: CompletedLegRecord = toCompletedLegRecord(leg, session, 0);
    const item = owe(leg.partyId, record, emitted.get(leg.partyId));
    if (item) owed.push(item);
  }
  if (session.ended && !session.notACall) {
    const summary: SessionSummaryRecord = toSessionSummaryRecord(session, 0);
    const item = owe(SESSION_EMIT_KEY, summary, emitted.get(SESSION_EMIT_KEY));
    if (item) owed.push(item);
  }
  return owed;
}

/** The owed record with its allocated version, and what to record once it was sent. */
export function stamp(owed: OwedRecord, version: number): StampedRecord {
  if (!Number.isSafeInteger(version) || version <= (owed.previous?.version ?? 0)) {
    throw new Error(`version ${version} of ${owed.emitKey} is not above the last one emitted (${owed.previous?.version ?? 0})`);
  }
  const record = { ...owed.unversioned, version } as CompletedRecord;
  const counted = record.kind === 'leg' ? countedLeg(record) : undefined;
  return { emitKey: owed.emitKey, record, previous: owed.previous, emitted: { version, fingerprint: owed.fingerprint, counted } };
}
