// Pure rules for legs whose end never came: synthetic `Disconnected` events with reason `Timeout` end every party still
// present, and a leg ended that way is reported as `Unknown` (not as whatever the last real status suggested).
// Synthetic events live in their own key namespace (`timeout:<party>:<sequence>`), so they never shadow a real event
// of the same sequence, and they give way to the real thing: a party's synthetic end is ignored once a real end of that
// party, or any real event of it at or after the synthetic's sequence, is known (the call was not over after all).
import type { Leg } from './leg.js';
import { type PartyEvent, SYNTHETIC_END_UUID } from './party-event.js';
import type { SessionState } from './session.js';

export const TIMEOUT_EVENT_UUID = SYNTHETIC_END_UUID;
const terminal = new Set(['Disconnected', 'Gone']);

export const isSyntheticEnd = (event: Pick<PartyEvent, 'notificationUuid'>): boolean => event.notificationUuid === TIMEOUT_EVENT_UUID;

/** One synthetic end per party whose last event is not an end, after the session's last sequence. */
export function timeoutEvents(events: Iterable<PartyEvent>): PartyEvent[] {
  const lastByParty = new Map<string, PartyEvent>();
  let lastSequence = 0;
  let lastTimeMs = 0;
  for (const event of effectiveEvents([...events])) {
    const previous = lastByParty.get(event.partyId);
    if (!previous || event.sequence >= previous.sequence) lastByParty.set(event.partyId, event);
    lastSequence = Math.max(lastSequence, event.sequence);
    lastTimeMs = Math.max(lastTimeMs, event.eventTimeMs);
  }
  const open = [...lastByParty.values()].filter((event) => !terminal.has(event.statusCode));
  open.sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0));
  return open.map((event, index) => ({
    ...event,
    notificationUuid: TIMEOUT_EVENT_UUID,
    sequence: lastSequence + 1 + index,
    eventTimeMs: lastTimeMs,
    statusCode: 'Disconnected',
    rawStatusCode: 'Disconnected',
    reason: 'Timeout',
    peer: null,
  }));
}

/**
 * The events the fold uses: every real event, and each synthetic end only while no real event overrides it (a real end
 * of its party, or a real event of its party at or after its sequence).
 */
export function effectiveEvents(events: readonly PartyEvent[]): PartyEvent[] {
  if (!events.some(isSyntheticEnd)) return [...events];
  const realEnd = new Set<string>();
  const lastReal = new Map<string, number>();
  for (const event of events) {
    if (isSyntheticEnd(event)) continue;
    if (terminal.has(event.statusCode)) realEnd.add(event.partyId);
    lastReal.set(event.partyId, Math.max(lastReal.get(event.partyId) ?? Number.NEGATIVE_INFINITY, event.sequence));
  }
  return events.filter(
    (event) =>
      !isSyntheticEnd(event) || (!realEnd.has(event.partyId) && (lastReal.get(event.partyId) ?? Number.NEGATIVE_INFINITY) < event.sequence),
  );
}

/** The rule of a leg the reaper ended: what its end says about it. */
const timeoutFacts = (leg: Leg) => ({ endSequence: leg.endSequence, endReason: 'Timeout', synthetic: true });

/** Legs ended by a synthetic timeout event become Unknown / Timeout, ended by nobody known. */
export function applyTimeoutVerdict(session: SessionState, events: Iterable<PartyEvent>): SessionState {
  const syntheticEnds = new Set<string>();
  for (const event of events) if (isSyntheticEnd(event)) syntheticEnds.add(`${event.partyId}:${event.sequence}`);
  if (syntheticEnds.size === 0) return session;
  const legs = session.legs.map(
    (leg): Leg =>
      leg.endSequence !== null && syntheticEnds.has(`${leg.partyId}:${leg.endSequence}`)
        ? {
            ...leg,
            result: 'Unknown',
            endReason: 'Timeout',
            endedBy: 'unknown',
            decisions: {
              result: {
                result: 'Unknown',
                rule: 'Timeout',
                order: null,
                says: 'no event came for the stale-after time, so the reaper ended the leg (its real end never came)',
                facts: timeoutFacts(leg),
              },
              endedBy: { endedBy: 'unknown', rule: 'Timeout', says: 'the real end never came', facts: timeoutFacts(leg) },
            },
          }
        : leg,
  );
  return { ...session, legs };
}
