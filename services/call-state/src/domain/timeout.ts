// Pure rules for legs whose end never came: synthetic `Disconnected` events with reason `Timeout` end every party still
// present, and a leg ended that way is reported as `Unknown` (not as whatever the last real status suggested).
import type { Leg, PartyEvent, SessionState } from '../domain/index.js';

export const TIMEOUT_EVENT_UUID = 'callpulse-reaper-timeout';
const terminal = new Set(['Disconnected', 'Gone']);

/** One synthetic end per party whose last event is not an end, after the session's last sequence. */
export function timeoutEvents(events: Iterable<PartyEvent>): PartyEvent[] {
  const lastByParty = new Map<string, PartyEvent>();
  let lastSequence = 0;
  let lastTimeMs = 0;
  for (const event of events) {
    const previous = lastByParty.get(event.partyId);
    if (!previous || event.sequence >= previous.sequence) lastByParty.set(event.partyId, event);
    lastSequence = Math.max(lastSequence, event.sequence);
    lastTimeMs = Math.max(lastTimeMs, event.eventTimeMs);
  }
  const open = [...lastByParty.values()].filter((event) => !terminal.has(event.statusCode));
  open.sort((a, b) => a.partyId.localeCompare(b.partyId));
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

/** Legs ended by a synthetic timeout event become Unknown / Timeout, ended by nobody known. */
export function applyTimeoutVerdict(session: SessionState, events: Iterable<PartyEvent>): SessionState {
  const timeoutSequences = new Set<number>();
  for (const event of events) if (event.notificationUuid === TIMEOUT_EVENT_UUID) timeoutSequences.add(event.sequence);
  if (timeoutSequences.size === 0) return session;
  const legs = session.legs.map(
    (leg): Leg =>
      leg.endSequence !== null && timeoutSequences.has(leg.endSequence)
        ? { ...leg, result: 'Unknown', endReason: 'Timeout', endedBy: 'unknown' }
        : leg,
  );
  return { ...session, legs };
}
