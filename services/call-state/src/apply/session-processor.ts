// Applies new party events to one telephony session: dedupe against what Redis holds, fold the whole session (pure
// domain), store the new events atomically if the session is still at the revision read (else read again and redo),
// update the live board, and schedule the completed records.
// Idempotent: a redelivered event changes nothing, so at-least-once delivery is safe. A redelivery also finishes what a
// crash interrupted: if the live board does not hold the session's latest revision, it is brought up to date.
//
// Round trips per apply (shared with the other applies whose replies arrived together): one for the schedule entries
// and the save (store/session-writes.ts), then, when a leg on the live board changed, two for the board (its legs, then
// the agent states with this session's board mark: live/live-board.ts). A change that moves no leg is recorded as
// shown on the board by the save itself.

import { foldStoredSession, foldStoredSessionFrom, type PartyEvent, partyEventKey } from '@callpulse/call-model';
import type { LiveLegSnapshot } from '@callpulse/contracts';
import type { Logger } from '@callpulse/platform';
import { emissionDue } from '../emit/emission-due.js';
import type { LiveBoard } from '../live/live-board.js';
import { sameSnapshot, toLiveSnapshot } from '../live/snapshot.js';
import type { CallStateMetrics } from '../metrics.js';
import type { CachedSession, SessionCache } from '../store/session-cache.js';
import type { SessionStore } from '../store/session-store.js';
import type { SessionWrites } from '../store/session-writes.js';

export interface SessionTimings {
  graceMs: number;
  retentionMs: number;
  staleAfterMs: number;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'closed';

const ENDED_MARKER_EXTRA_MS = 7 * 24 * 60 * 60 * 1000;
/** How long after a change its pre-write emission entry falls due: longer than the write takes, short after a crash. */
const WRITE_MARGIN_MS = 5000;
/** A cached session is dropped this long before its Redis keys expire, so Redis has the last word on closing. */
const CACHE_EXPIRY_MARGIN_MS = 1000;
/** Writes refused because the session moved on are redone from a fresh read this many times before giving up. */
const MAX_ATTEMPTS = 8;

type Previous = Pick<CachedSession, 'events' | 'ordered' | 'legs' | 'rev' | 'boardRev'>;

export class SessionProcessor {
  constructor(
    private readonly deps: {
      store: SessionStore;
      cache: SessionCache;
      writes: SessionWrites;
      board: LiveBoard;
      monitored: { isMonitored: (extensionId: string) => boolean; version: number };
      timings: SessionTimings;
      metrics: CallStateMetrics;
      logger: Logger;
    },
  ) {}

  async apply(telephonySessionId: string, incoming: PartyEvent[], nowMs = Date.now()): Promise<ApplyOutcome> {
    try {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.applyOnce(telephonySessionId, incoming, nowMs);
        if (outcome !== 'conflict') return outcome;
        this.deps.cache.delete(telephonySessionId);
        this.deps.metrics.writeConflicts.inc();
        if (attempt >= MAX_ATTEMPTS) throw new Error(`session ${telephonySessionId} kept changing under ${attempt} attempts to write it`);
      }
    } catch (err) {
      this.deps.cache.delete(telephonySessionId); // Redis may hold less than the cache would say
      throw err;
    }
  }

  /** What the session holds before this change: from the cache, else its events in Redis folded again. */
  private async previous(telephonySessionId: string, nowMs: number): Promise<Previous | 'closed'> {
    const cached = this.deps.cache.get(telephonySessionId, nowMs);
    this.deps.metrics.cacheReads.inc({ result: cached ? 'hit' : 'miss' });
    if (cached) return cached;
    const loaded = await this.deps.store.loadState(telephonySessionId);
    if (loaded.closed) return 'closed';
    const legs = new Map<string, LiveLegSnapshot>();
    let ordered: readonly PartyEvent[] | undefined;
    if (loaded.events.size > 0) {
      const folded = foldStoredSessionFrom(loaded.events.values(), this.deps.monitored.isMonitored);
      for (const leg of folded.state.legs) legs.set(leg.partyId, toLiveSnapshot(leg, 0));
      ordered = folded.ordered;
    }
    return { events: loaded.events, ordered, legs, rev: loaded.rev, boardRev: loaded.boardRev };
  }

  private async applyOnce(telephonySessionId: string, incoming: PartyEvent[], nowMs: number): Promise<ApplyOutcome | 'conflict'> {
    const { cache, writes, timings, metrics, monitored } = this.deps;
    const stored = await this.previous(telephonySessionId, nowMs);
    if (stored === 'closed') return 'closed';

    const newEvents = new Map<string, PartyEvent>();
    for (const event of incoming) {
      const key = partyEventKey(event);
      if (!stored.events.has(key) && !newEvents.has(key)) newEvents.set(key, event);
    }
    if (newEvents.size === 0) {
      metrics.events.inc({ outcome: 'duplicate' }, incoming.length);
      // A crash (or a failed board write) after the save left the live board behind: bring it up to date now.
      if (stored.boardRev < stored.rev) await this.repairBoard(telephonySessionId, stored.events, stored.rev, nowMs);
      return 'duplicate';
    }

    const all = new Map(stored.events);
    for (const [key, event] of newEvents) all.set(key, event);
    const monitoredVersion = monitored.version;
    // Live traffic brings events in order: the fold extends the cached fold order instead of sorting the session again.
    const added = [...newEvents.values()];
    const folded = foldStoredSessionFrom(all.values(), monitored.isMonitored, { ordered: stored.ordered, added });
    const session = folded.state;
    const snapshots = session.legs.map((leg) => toLiveSnapshot(leg, nowMs));
    // The board holds the legs of stored.legs only if it holds the stored revision; otherwise (a crash or a failed
    // board write before this change) every leg is written, not only those that changed.
    const boardCurrent = stored.boardRev >= stored.rev;
    const changed = boardCurrent ? snapshots.filter((snapshot) => !sameSnapshot(stored.legs.get(snapshot.partyId), snapshot)) : snapshots;

    // Scheduled before the write (in the same round trip, ahead of the save: Redis runs them in order): if the process
    // dies in between, a spurious emission check is harmless, a missing one would not be (the redelivered events would
    // look like duplicates). That first entry is due no sooner than WRITE_MARGIN_MS from now, so no emitter claims the
    // session for this change while Redis (and the cache) still hold the state before it: it would emit every ended
    // leg of that older state (e.g. an agent's leg before the customer's end arrived) and then amend it. Scheduled
    // again after the write with the real due time when that is sooner.
    const dueMs = emissionDue(session, all, nowMs, timings.graceMs);
    const preWriteDueMs = dueMs === undefined ? undefined : Math.max(dueMs, nowMs + WRITE_MARGIN_MS);
    // An ended session is kept as long as an open one until its records are out: the emitter then keeps it for the
    // retention window from there (SessionStore.queueRetention). With the retention window alone, every worker away
    // for longer than it right after a call ended would let the session expire before its records went out.
    const ttlMs = timings.staleAfterMs + timings.retentionMs;
    const saved = await writes.save(telephonySessionId, {
      seen: session.ended ? 'ended' : nowMs,
      preWriteDueMs,
      change: {
        newEvents: added,
        ttlMs,
        endedMarkerTtlMs: session.ended ? timings.retentionMs + ENDED_MARKER_EXTRA_MS : undefined,
        expectedRev: stored.rev,
        boardUnchanged: changed.length === 0,
      },
    });
    if (!saved.ok) return 'conflict';
    metrics.applies.inc();
    metrics.events.inc({ outcome: 'duplicate' }, incoming.length - newEvents.size);
    metrics.events.inc({ outcome: 'applied' }, newEvents.size);
    metrics.eventsPerApply.observe(newEvents.size);

    const legs = new Map(snapshots.map((snapshot) => [snapshot.partyId, snapshot]));
    // Never used past the reaper's threshold either: the reaper (on any worker) may add timeout events by then.
    const cacheForMs = Math.min(session.ended ? timings.retentionMs : ttlMs, timings.staleAfterMs) - CACHE_EXPIRY_MARGIN_MS;
    const entry: CachedSession = {
      events: all,
      state: dueMs === undefined ? undefined : session,
      ended: session.ended,
      ordered: folded.ordered,
      monitoredVersion,
      legs,
      rev: saved.rev,
      // The save recorded the board as current when nothing on it changed and it held the revision before.
      boardRev: changed.length === 0 && boardCurrent ? saved.rev : stored.boardRev,
      expiresAtMs: nowMs + cacheForMs,
    };
    cache.set(telephonySessionId, entry);
    const rescheduled = dueMs !== undefined && preWriteDueMs !== undefined && dueMs < preWriteDueMs;
    const [, current] = await Promise.all([
      rescheduled ? writes.scheduleEmission(telephonySessionId, dueMs) : undefined,
      changed.length === 0 ? undefined : this.deps.board.apply(changed, { telephonySessionId, rev: saved.rev }),
    ]);
    if (current === undefined || current === saved.rev) {
      if (current !== undefined) entry.boardRev = saved.rev;
    } else {
      // Another writer changed the session after this write and before this board write landed: the board may now
      // hold this older state. Bring it to the session's current state (the other writer does the same).
      cache.delete(telephonySessionId);
      await this.repairBoard(telephonySessionId, undefined, undefined, nowMs);
    }
    return 'applied';
  }

  /**
   * Writes every leg of the session's current state to the live board (ended legs leave it), then records the revision
   * it holds; repeated while the session keeps changing underneath.
   */
  private async repairBoard(
    telephonySessionId: string,
    events: Map<string, PartyEvent> | undefined,
    rev: number | undefined,
    nowMs: number,
  ): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      let known = events && rev !== undefined ? { events, rev } : undefined;
      if (!known) {
        const loaded = await this.deps.store.loadState(telephonySessionId);
        known = { events: loaded.events, rev: loaded.rev };
      }
      if (known.events.size === 0) return;
      const session = foldStoredSession(known.events.values(), this.deps.monitored.isMonitored);
      const snapshots = session.legs.map((leg) => toLiveSnapshot(leg, nowMs));
      const current = await this.deps.board.apply(snapshots, { telephonySessionId, rev: known.rev });
      this.deps.metrics.boardRepairs.inc();
      if (current === known.rev) return;
      events = undefined;
      rev = undefined;
    }
    throw new Error(`session ${telephonySessionId} kept changing while its live board was repaired`);
  }
}

export type { LiveLegSnapshot };
