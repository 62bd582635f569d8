// Legs the live board still shows although their session is gone: call-state was away longer than a session's keys
// live (CALL_STATE_STALE_AFTER_MS + CALL_STATE_RETENTION_MS after its last write) while the call was in progress, so
// the reaper found no events to end it with. Which legs are candidates, and the snapshot that takes one off the board.
import type { LiveLegSnapshot } from '@callpulse/contracts';

/** Legs not changed since `changedBeforeMs` (their session still has to be checked: its events key must be gone). */
export function staleLegs(legs: Iterable<LiveLegSnapshot>, changedBeforeMs: number): LiveLegSnapshot[] {
  return [...legs].filter((leg) => !leg.ended && leg.updatedAtMs < changedBeforeMs);
}

/**
 * The snapshot that ends a phantom leg: as the reaper's verdict (result Unknown, ended by unknown), ended when its last
 * known status began, its figures as last shown. No completed record is emitted for it: its events are gone.
 */
export function phantomEnd(leg: LiveLegSnapshot, nowMs: number): LiveLegSnapshot {
  return {
    ...leg,
    status: 'Ended',
    statusCode: 'Disconnected',
    endMs: Math.max(leg.startMs, leg.statusSinceMs),
    ended: true,
    result: 'Unknown',
    endedBy: 'unknown',
    updatedAtMs: nowMs,
  };
}
