// When a session's completed records fall due after a change (pure): at once when the session ended or every ended leg
// is settled, else after the grace (the other side's end may still change `endedBy`); never before the grace while the
// session's events look incomplete (a sequence gap, a party without its first event), so the first record of a leg is
// the right one; and an ended leg first seen with a Proceeding a Setup may precede (call-model's uncertainStarts) not
// before the grace after that Proceeding: a late Setup would move its start.
import { type PartyEvent, type SessionState, sessionCompleteness, uncertainStarts } from '@callpulse/call-model';

/** The session's events: by key as stored, or a list. Read twice at most, never copied (this runs on every apply). */
export type SessionEvents = ReadonlyMap<string, PartyEvent> | readonly PartyEvent[];

const each = (events: SessionEvents): Iterable<PartyEvent> =>
  Array.isArray(events) ? events : (events as ReadonlyMap<string, PartyEvent>).values();

/** The due time (ms), or undefined: nothing to emit yet. */
export function emissionDue(session: SessionState, events: SessionEvents, nowMs: number, graceMs: number): number | undefined {
  const endedLegs = session.legs.filter((leg) => leg.ended);
  if (endedLegs.length === 0 && !session.ended) return undefined;
  if (!sessionCompleteness(each(events)).complete) return nowMs + graceMs;
  let dueMs = session.ended || endedLegs.every((leg) => leg.settled) ? nowMs : nowMs + graceMs;
  if (dueMs === nowMs + graceMs) return dueMs;
  const uncertain = uncertainStarts(each(events));
  for (const leg of endedLegs) {
    const startMs = uncertain.get(leg.partyId);
    // Counted from the Proceeding's eventTime, never more than the grace from now (a clock ahead of ours).
    if (startMs !== undefined) dueMs = Math.max(dueMs, Math.min(startMs + graceMs, nowMs + graceMs));
  }
  return dueMs;
}
