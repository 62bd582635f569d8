// The sessions this worker applied lately, kept in memory so a session's events are not read back from Redis and
// parsed again on every batch and every emission. An entry mirrors one revision of the session in Redis: it is set
// only after the Redis write of that revision succeeded, a write based on it is refused by Redis if the session moved
// on meanwhile (another worker after a rebalance, the reaper), and the emitter uses it only after checking the
// revision. The worker also clears it on every rebalance.
// When it is full, an ended session goes first (the least recently used of them): it gets no more events, only late
// ones. Else a live session picked at random: live traffic gives each active session an event in turn, so with more
// active sessions than places, evicting the least recently used one would evict each session just before its next
// event and never hit; a random pick keeps most of them (about 75 % hits with 15 % more sessions than places).

import type { PartyEvent, SessionState } from '@callpulse/call-model';
import type { LiveLegSnapshot } from '@callpulse/contracts';

export interface CachedSession {
  events: Map<string, PartyEvent>;
  /**
   * The fold of the events, under the monitored set of version monitoredVersion: kept only when the change made records
   * due (the emitter reads it soon); otherwise it is folded again from `events` when needed. Every entry kept lives
   * until its session's next event, so on live traffic each one survives the young-generation collections: a fold
   * kept for every change was a large part of the garbage collector's copying.
   */
  state: SessionState | undefined;
  /** The events in fold order, so the next fold extends it (call-model's foldStoredSessionFrom); none: fold anew. */
  ordered: readonly PartyEvent[] | undefined;
  monitoredVersion: number;
  legs: Map<string, LiveLegSnapshot>;
  /** The session's revision in Redis that this entry mirrors. */
  rev: number;
  /** The revision whose legs the live board is known to hold. */
  boardRev: number;
  /** The session ended (every party left): evicted before the live ones. */
  ended: boolean;
  /** When the Redis keys it mirrors expire (a little early): after that, Redis decides (e.g. a closed session). */
  expiresAtMs: number;
}

export class SessionCache {
  /** Ended sessions, least recently used first. */
  private readonly ended = new Map<string, CachedSession>();
  /** Live sessions, each with its place in liveIds (for a random pick). */
  private readonly live = new Map<string, { entry: CachedSession; index: number }>();
  private readonly liveIds: string[] = [];

  constructor(private readonly maxSessions: number) {}

  get(telephonySessionId: string, nowMs = Date.now()): CachedSession | undefined {
    const live = this.live.get(telephonySessionId);
    const entry = live?.entry ?? this.ended.get(telephonySessionId);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.delete(telephonySessionId);
      return undefined;
    }
    if (!live) {
      this.ended.delete(telephonySessionId);
      this.ended.set(telephonySessionId, entry);
    }
    return entry;
  }

  set(telephonySessionId: string, entry: CachedSession): void {
    this.delete(telephonySessionId);
    if (this.maxSessions === 0) return;
    if (entry.ended) this.ended.set(telephonySessionId, entry);
    else {
      this.live.set(telephonySessionId, { entry, index: this.liveIds.length });
      this.liveIds.push(telephonySessionId);
    }
    while (this.size > this.maxSessions) this.evictOtherThan(telephonySessionId);
  }

  delete(telephonySessionId: string): void {
    this.ended.delete(telephonySessionId);
    const live = this.live.get(telephonySessionId);
    if (!live) return;
    this.live.delete(telephonySessionId);
    const last = this.liveIds.pop();
    if (last !== undefined && last !== telephonySessionId) {
      this.liveIds[live.index] = last;
      const moved = this.live.get(last);
      if (moved) moved.index = live.index;
    }
  }

  clear(): void {
    this.ended.clear();
    this.live.clear();
    this.liveIds.length = 0;
  }

  get size(): number {
    return this.ended.size + this.live.size;
  }

  /** The least recently used ended session, else a random live one; never `kept` (the entry just set). */
  private evictOtherThan(kept: string): void {
    for (const telephonySessionId of this.ended.keys()) {
      if (telephonySessionId === kept) continue;
      this.ended.delete(telephonySessionId);
      return;
    }
    const ids = this.liveIds;
    if (ids.length === 0 || (ids.length === 1 && ids[0] === kept)) {
      this.delete(kept);
      return;
    }
    let victim = kept;
    while (victim === kept) victim = ids[Math.floor(Math.random() * ids.length)] as string;
    this.delete(victim);
  }
}
