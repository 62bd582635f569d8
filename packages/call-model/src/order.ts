// Puts one session's events in a single deterministic order and drops duplicates, whatever order they arrived in.
import { type PartyEvent, partyEventKey } from './party-event.js';

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

/**
 * Sorted by sequence (ties by party id), keeping the first of events that share `sequence:partyId` or
 * `notificationUuid:partyId`. Because the order is total, any permutation of the same input gives the same output.
 */
export function orderEvents(events: readonly PartyEvent[]): PartyEvent[] {
  const sorted = [...events].sort(compareEvents);
  const seen = new Set<string>();
  const kept: PartyEvent[] = [];
  for (const event of sorted) {
    const byUuid = `uuid:${event.notificationUuid}:${event.partyId}`;
    const bySequence = `seq:${partyEventKey(event)}`;
    if (seen.has(byUuid) || seen.has(bySequence)) continue;
    seen.add(byUuid);
    seen.add(bySequence);
    kept.push(event);
  }
  return kept;
}
