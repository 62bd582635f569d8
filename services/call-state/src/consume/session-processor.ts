// Applies new party events to one telephony session: dedupe against what Redis holds, fold the whole session (pure
// domain), store events and changed legs atomically, update the live board, and schedule the completed records.
// Idempotent: a redelivered event changes nothing, so at-least-once delivery is safe.
import type { LiveLegSnapshot, Logger } from '@callpulse/shared';
import { foldSession, type PartyEvent, partyEventKey, type SessionState } from '../domain/index.js';
import type { LiveBoard } from '../live/live-board.js';
import { sameSnapshot, toLiveSnapshot } from '../live/snapshot.js';
import type { CallStateMetrics } from '../metrics.js';
import { applyTimeoutVerdict } from '../reaper/timeout.js';
import type { SessionSchedule } from '../store/schedule.js';
import type { CachedSession, SessionCache } from '../store/session-cache.js';
import type { SessionStore } from '../store/session-store.js';

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

/** The fold the service uses everywhere: the domain's fold plus the reaper's Timeout verdict. */
export function foldStored(events: Iterable<PartyEvent>, isMonitored: (extensionId: string) => boolean): SessionState {
  const all = [...events];
  return applyTimeoutVerdict(foldSession(all, isMonitored), all);
}

export class SessionProcessor {
  constructor(
    private readonly deps: {
      store: SessionStore;
      cache: SessionCache;
      schedule: SessionSchedule;
      board: LiveBoard;
      monitored: { isMonitored: (extensionId: string) => boolean; version: number };
      timings: SessionTimings;
      metrics: CallStateMetrics;
      logger: Logger;
    },
  ) {}

  async apply(telephonySessionId: string, incoming: PartyEvent[], nowMs = Date.now()): Promise<ApplyOutcome> {
    try {
      return await this.applyOnce(telephonySessionId, incoming, nowMs);
    } catch (err) {
      this.deps.cache.delete(telephonySessionId); // Redis may hold less than the cache would say
      throw err;
    }
  }

  /** What the session holds before this change: from the cache, else its events in Redis folded again. */
  private async previous(telephonySessionId: string, nowMs: number): Promise<Pick<CachedSession, 'events' | 'legs'> | 'closed'> {
    const cached = this.deps.cache.get(telephonySessionId, nowMs);
    if (cached) return cached;
    const loaded = await this.deps.store.loadState(telephonySessionId);
    if (loaded.closed) return 'closed';
    const legs = new Map<string, LiveLegSnapshot>();
    if (loaded.events.size > 0) {
      for (const leg of foldStored(loaded.events.values(), this.deps.monitored.isMonitored).legs) {
        legs.set(leg.partyId, toLiveSnapshot(leg, 0));
      }
    }
    return { events: loaded.events, legs };
  }

  private async applyOnce(telephonySessionId: string, incoming: PartyEvent[], nowMs: number): Promise<ApplyOutcome> {
    const { store, cache, schedule, board, timings, metrics, monitored } = this.deps;
    const stored = await this.previous(telephonySessionId, nowMs);
    if (stored === 'closed') return 'closed';

    const newEvents = new Map<string, PartyEvent>();
    for (const event of incoming) {
      const key = partyEventKey(event);
      if (!stored.events.has(key) && !newEvents.has(key)) newEvents.set(key, event);
    }
    metrics.events.inc({ outcome: 'duplicate' }, incoming.length - newEvents.size);
    if (newEvents.size === 0) return 'duplicate';
    metrics.events.inc({ outcome: 'applied' }, newEvents.size);

    const all = new Map([...stored.events, ...newEvents]);
    const monitoredVersion = monitored.version;
    const session = foldStored(all.values(), monitored.isMonitored);
    const snapshots = session.legs.map((leg) => toLiveSnapshot(leg, nowMs));
    const changed = snapshots.filter((snapshot) => !sameSnapshot(stored.legs.get(snapshot.partyId), snapshot));

    // Scheduled before the write: if the process dies in between, a spurious emission check is harmless, a missing
    // one would not be (the redelivered events would look like duplicates). That first entry is due no sooner than
    // WRITE_MARGIN_MS from now, so no emitter claims the session for this change while Redis (and the cache) still
    // hold the state before it: it would emit every ended leg of that older state (e.g. an agent's leg before the
    // customer's end arrived) and then amend it. Scheduled again after the write with the real due time.
    const endedLegs = session.legs.filter((leg) => leg.ended);
    const emissionDueMs =
      endedLegs.length > 0 || session.ended
        ? session.ended || endedLegs.every((leg) => leg.settled)
          ? nowMs
          : nowMs + timings.graceMs
        : undefined;
    await Promise.all([
      emissionDueMs === undefined
        ? undefined
        : schedule.scheduleEmission(telephonySessionId, Math.max(emissionDueMs, nowMs + WRITE_MARGIN_MS)),
      session.ended ? schedule.forget(telephonySessionId) : schedule.touch(telephonySessionId, nowMs),
    ]);

    const ttlMs = session.ended ? timings.retentionMs : timings.staleAfterMs + timings.retentionMs;
    await store.save(telephonySessionId, {
      newEvents: [...newEvents.values()],
      ttlMs,
      endedMarkerTtlMs: session.ended ? timings.retentionMs + ENDED_MARKER_EXTRA_MS : undefined,
    });
    const legs = new Map(snapshots.map((snapshot) => [snapshot.partyId, snapshot]));
    // Never used past the reaper's threshold either: the reaper (on any worker) may add timeout events by then.
    const cacheForMs = Math.min(ttlMs, timings.staleAfterMs) - CACHE_EXPIRY_MARGIN_MS;
    cache.set(telephonySessionId, { events: all, state: session, monitoredVersion, legs, expiresAtMs: nowMs + cacheForMs });
    await Promise.all([
      emissionDueMs === undefined ? undefined : schedule.scheduleEmission(telephonySessionId, emissionDueMs),
      board.apply(changed),
    ]);
    return 'applied';
  }
}

export type { LiveLegSnapshot };
