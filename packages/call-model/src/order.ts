// Puts one session's events in a single deterministic order and drops duplicates, whatever order they arrived in; and
// extends such an order with later events without sorting again (call-state's fold of live traffic).
import { type PartyEvent, partyEventKey, SYNTHETIC_END_UUID } from './party-event.js';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Total order: sequence, then party id, then notification uuid, then content (only for corrupt look-alikes). */
export function compareEvents(a: PartyEvent, b: PartyEvent): number {
  return (
    a.sequence - b.sequence ||
    compareText(a.partyId, b.partyId) ||
    compareText(a.notificationUuid, b.notificationUuid) ||
    compareText(JSON.stringify(a), JSON.stringify(b))
  );
}

/** The two keys by which orderEvents keeps only the first of look-alike events. */
const uuidKey = (event: PartyEvent) => `uuid:${event.notificationUuid}:${event.partyId}`;
const sequenceKey = (event: PartyEvent) => `seq:${partyEventKey(event)}`;

/**
 * Whether the two events share a key of orderEvents (uuidKey or sequenceKey), without building the keys in the usual
 * case: keys of different parties can only be equal when a party id holds a ':'.
 */
function shareKey(a: PartyEvent, b: PartyEvent): boolean {
  if (a.partyId === b.partyId) {
    if (a.notificationUuid === b.notificationUuid) return true;
    // partyEventKey: `timeout:<party>:<sequence>` for a synthetic end, else `<sequence>:<party>`.
    const sameKind = (a.notificationUuid === SYNTHETIC_END_UUID) === (b.notificationUuid === SYNTHETIC_END_UUID);
    return sameKind && String(a.sequence) === String(b.sequence);
  }
  if (!a.partyId.includes(':') && !b.partyId.includes(':')) return false;
  return uuidKey(a) === uuidKey(b) || sequenceKey(a) === sequenceKey(b);
}

/** Arrays this module ordered (frozen): ordering one again is a copy, not a sort. */
const vouched = new WeakSet<readonly PartyEvent[]>();

function vouch(events: PartyEvent[]): readonly PartyEvent[] {
  Object.freeze(events);
  vouched.add(events);
  return events;
}

/**
 * Sorted by sequence (ties by party id), keeping the first of events that share `sequence:partyId` or
 * `notificationUuid:partyId`. Because the order is total, any permutation of the same input gives the same output.
 */
export function orderEvents(events: readonly PartyEvent[]): PartyEvent[] {
  if (vouched.has(events)) return [...events];
  const sorted = [...events].sort(compareEvents);
  const seen = new Set<string>();
  const kept: PartyEvent[] = [];
  for (const event of sorted) {
    const byUuid = uuidKey(event);
    const bySequence = sequenceKey(event);
    if (seen.has(byUuid) || seen.has(bySequence)) continue;
    seen.add(byUuid);
    seen.add(bySequence);
    kept.push(event);
  }
  return kept;
}

/** orderEvents, frozen: it can be extended by appendInOrder and ordered again without a sort. */
export function orderedEvents(events: readonly PartyEvent[]): readonly PartyEvent[] {
  return vouch(orderEvents(events));
}

/**
 * orderEvents of the events `ordered` came from plus `added`, without sorting them all again: when `ordered` came from
 * orderedEvents (or this function) and every added event sorts after its last event. undefined otherwise (the caller
 * orders everything). Same result: the events before the added ones keep their order and their verdicts (an earlier
 * duplicate stays dropped, its twin stays kept), and each added event is kept unless it shares a key with one kept.
 */
export function appendInOrder(ordered: readonly PartyEvent[], added: readonly PartyEvent[]): readonly PartyEvent[] | undefined {
  if (!vouched.has(ordered)) return undefined;
  const sortedAdded = [...added].sort(compareEvents);
  const first = sortedAdded[0];
  if (!first) return ordered;
  const last = ordered[ordered.length - 1];
  if (last && compareEvents(last, first) >= 0) return undefined;
  const kept = [...ordered];
  for (const event of sortedAdded) if (!kept.some((other) => shareKey(other, event))) kept.push(event);
  return vouch(kept);
}
