// The fold call-state uses everywhere (processor, emitter, reaper): the synthetic Timeout ends that still apply, the
// order-free fold, then the Timeout verdict. Pure.
import type { PartyEvent } from './party-event.js';
import { foldSession, type SessionState } from './session.js';
import { applyTimeoutVerdict, effectiveEvents } from './timeout.js';

export function foldStoredSession(events: Iterable<PartyEvent>, isMonitored: (extensionId: string) => boolean): SessionState {
  const effective = effectiveEvents([...events]);
  return applyTimeoutVerdict(foldSession(effective, isMonitored), effective);
}
