// The sessions this worker applied lately, kept in memory so a session's events are not read back from Redis and
// parsed again on every batch and every emission. An entry mirrors one revision of the session in Redis: it is set
// only after the Redis write of that revision succeeded, a write based on it is refused by Redis if the session moved
// on meanwhile (another worker after a rebalance, the reaper), and the emitter uses it only after checking the
// revision. The worker also clears it on every rebalance. Least recently used entries go first.

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
  /** When the Redis keys it mirrors expire (a little early): after that, Redis decides (e.g. a closed session). */
  expiresAtMs: number;
}

export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();

  constructor(private readonly maxSessions: number) {}

  get(telephonySessionId: string, nowMs = Date.now()): CachedSession | undefined {
    const entry = this.entries.get(telephonySessionId);
    if (entry && entry.expiresAtMs <= nowMs) {
      this.entries.delete(telephonySessionId);
      return undefined;
    }
    if (entry) {
      this.entries.delete(telephonySessionId);
      this.entries.set(telephonySessionId, entry);
    }
    return entry;
  }

  set(telephonySessionId: string, entry: CachedSession): void {
    this.entries.delete(telephonySessionId);
    this.entries.set(telephonySessionId, entry);
    if (this.entries.size > this.maxSessions) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(telephonySessionId: string): void {
    this.entries.delete(telephonySessionId);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
