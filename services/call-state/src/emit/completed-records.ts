// Pure: which completed records a folded session owes, given what was emitted before. A record is owed when its
// content differs from the last one emitted for that leg (or the session); it then carries the next version.
import { createHash } from 'node:crypto';
import type { CompletedLegRecord, CompletedRecord, SessionSummaryRecord } from '@callpulse/shared';
import { type SessionState, toCompletedLegRecord, toSessionSummaryRecord } from '../domain/index.js';
import { type Emitted, SESSION_EMIT_KEY } from '../store/session-store.js';
import { countedLeg } from './day-counters.js';

export interface OwedRecord {
  emitKey: string;
  record: CompletedRecord;
  previous: Emitted | undefined;
  emitted: Emitted;
}

/** A short digest of the record's content (everything but the version). */
function fingerprint(record: CompletedRecord): string {
  return createHash('sha1')
    .update(JSON.stringify({ ...record, version: 0 }))
    .digest('base64');
}

function owe(emitKey: string, unversioned: CompletedRecord, previous: Emitted | undefined): OwedRecord | undefined {
  const print = fingerprint(unversioned);
  if (previous?.fingerprint === print) return undefined;
  const record = { ...unversioned, version: (previous?.version ?? 0) + 1 } as CompletedRecord;
  const counted = record.kind === 'leg' ? countedLeg(record) : undefined;
  return { emitKey, record, previous, emitted: { version: record.version, fingerprint: print, counted } };
}

export function owedRecords(session: SessionState, emitted: ReadonlyMap<string, Emitted>): OwedRecord[] {
  const owed: OwedRecord[] = [];
  for (const leg of session.legs) {
    if (!leg.ended) continue;
    const record: CompletedLegRecord = toCompletedLegRecord(leg, session, 0);
    const item = owe(leg.partyId, record, emitted.get(leg.partyId));
    if (item) owed.push(item);
  }
  if (session.ended) {
    const summary: SessionSummaryRecord = toSessionSummaryRecord(session, 0);
    const item = owe(SESSION_EMIT_KEY, summary, emitted.get(SESSION_EMIT_KEY));
    if (item) owed.push(item);
  }
  return owed;
}
