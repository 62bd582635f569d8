// The fold call-state uses everywhere (processor, emitter, reaper): the synthetic Timeout ends that still apply, the
// order-free fold, then the Timeout verdict. Pure. And the same fold extended from an earlier one: when the new events
// all sort after the events already folded (live traffic, in order), they are appended to the earlier fold order
// instead of sorting the whole session again; the result is the same (order.test.ts, fold.test.ts).
import { appendInOrder, orderedEvents } from './order.js';
import type { PartyEvent } from './party-event.js';
import { foldSession, type SessionState } from './session.js';
import { applyTimeoutVerdict, effectiveEvents, isSyntheticEnd } from './timeout.js';

export function foldStoredSession(events: Iterable<PartyEvent>, isMonitored: (extensionId: string) => boolean): SessionState {
  const effective = effectiveEvents([...events]);
  return applyTimeoutVerdict(foldSession(effective, isMonitored), effective);
}

/** A fold and the events it was folded from in fold order (none for a session with a synthetic end: no extending). */
export interface OrderedFold {
  state: SessionState;
  ordered: readonly PartyEvent[] | undefined;
}

/**
 * foldStoredSession(events), extended from `earlier` (the fold order of the events before `added`; `events` holds them
 * and `added`) when every added event sorts after them, else folded from scratch. Synthetic ends are not extended:
 * whether one applies depends on the events after it (timeout.ts).
 */
export function foldStoredSessionFrom(
  events: Iterable<PartyEvent>,
  isMonitored: (extensionId: string) => boolean,
  earlier?: { ordered: readonly PartyEvent[] | undefined; added: readonly PartyEvent[] },
): OrderedFold {
  if (earlier?.ordered && !earlier.added.some(isSyntheticEnd)) {
    const ordered = appendInOrder(earlier.ordered, earlier.added);
    if (ordered) return { state: foldSession(ordered, isMonitored), ordered };
  }
  const list = [...events];
  if (list.some(isSyntheticEnd)) return { state: foldStoredSession(list, isMonitored), ordered: undefined };
  const ordered = orderedEvents(list);
  return { state: foldSession(ordered, isMonitored), ordered };
}
