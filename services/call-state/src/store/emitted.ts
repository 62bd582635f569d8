// What was emitted for a leg or a session's summary: kept with the session in Redis (store/), read to decide what a
// fold still owes and to take an amended leg's earlier part out of today's counters (emit/). Pure.
import type { CompletedLegRecord } from '@callpulse/contracts';

/** The fields of a completed leg that today's counters add up: kept with what was emitted, to take it back later. */
export type CountedLeg = Pick<CompletedLegRecord, 'extensionId' | 'startMs' | 'result' | 'direction' | 'ringMs' | 'talkMs' | 'holdMs'>;

export function countedLeg(record: CompletedLegRecord): CountedLeg {
  const { extensionId, startMs, result, direction, ringMs, talkMs, holdMs } = record;
  return { extensionId, startMs, result, direction, ringMs, talkMs, holdMs };
}

/** What was last emitted for a leg (emit key: its partyId) or the session summary (emit key: SESSION_EMIT_KEY). */
export interface Emitted {
  version: number;
  /** Digest of the record's content, to tell whether a new fold changed it. */
  fingerprint: string;
  /** What today's counters got from this leg (legs only), so an amendment can take it back. */
  counted?: CountedLeg;
}

/** The emit key of the session summary (a leg's is its partyId). */
export const SESSION_EMIT_KEY = '@session';
