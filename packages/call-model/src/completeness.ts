// Whether a session's events look complete so far: all parties of a telephony session share one sequence counter, so a
// hole in the sequences seen says an event is still on its way; and a party whose first event is not where a party
// starts has lost its beginning somewhere: the caller's party (Outbound) starts with Setup, a called party (Inbound)
// with Setup (RingCentral to RingCentral) or Proceeding (RingCentral's status-code table and every captured call).
// The session's very first event leaves no hole when it is late, so the caller's Setup is what tells it is missing. A record emitted now could be wrong, so the service
// holds the session's records (up to its grace) until the events look complete. And a called party first seen with
// Proceeding may still have a Setup on the way (RingCentral to RingCentral; the Setups before it may all be late, so no
// hole shows): uncertainStarts names such parties, so a leg that ends soon after is not settled before the grace. Pure.
import type { PartyEvent } from './party-event.js';
import { isSyntheticEnd } from './timeout.js';

export type Completeness = { complete: true } | { complete: false; reason: string };

const startingCodes = { Outbound: new Set(['Setup']), Inbound: new Set(['Setup', 'Proceeding']) };
const anyStart = new Set(['Setup', 'Proceeding']);

/** Each party whose first event seen is a Proceeding a Setup may precede (Inbound, or no direction), with its eventTime. */
export function uncertainStarts(events: Iterable<PartyEvent>): Map<string, number> {
  const firstByParty = new Map<string, PartyEvent>();
  for (const event of events) {
    if (isSyntheticEnd(event)) continue;
    const first = firstByParty.get(event.partyId);
    if (!first || event.sequence < first.sequence) firstByParty.set(event.partyId, event);
  }
  const uncertain = new Map<string, number>();
  for (const [partyId, first] of firstByParty) {
    if (first.statusCode === 'Proceeding' && first.direction !== 'Outbound') uncertain.set(partyId, first.eventTimeMs);
  }
  return uncertain;
}

export function sessionCompleteness(events: Iterable<PartyEvent>): Completeness {
  const sequences = new Set<number>();
  const firstByParty = new Map<string, PartyEvent>();
  for (const event of events) {
    if (isSyntheticEnd(event)) continue;
    sequences.add(event.sequence);
    const first = firstByParty.get(event.partyId);
    if (!first || event.sequence < first.sequence) firstByParty.set(event.partyId, event);
  }
  if (sequences.size === 0) return { complete: true };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const sequence of sequences) {
    if (sequence < min) min = sequence;
    if (sequence > max) max = sequence;
  }
  const missing = max - min + 1 - sequences.size;
  if (missing > 0) return { complete: false, reason: `${missing} sequence number(s) between ${min} and ${max} not seen yet` };
  for (const [partyId, first] of firstByParty) {
    const starts = first.direction ? startingCodes[first.direction] : anyStart;
    if (!starts.has(first.statusCode)) {
      return { complete: false, reason: `party ${partyId} starts with ${first.statusCode} at sequence ${first.sequence}` };
    }
  }
  return { complete: true };
}
