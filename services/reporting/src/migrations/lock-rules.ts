// The migration lock's decisions, pure: what a starting instance does on what it sees of the lock table (take it,
// wait, or take over a stale one), how often the holder beats, and when a waiter says again that it waits.
import { createHash } from 'node:crypto';

/** The lock table: it exists while an instance migrates (CREATE TABLE without IF NOT EXISTS is the atomic step). */
export const lockTableName = 'schema_migrations_lock';

/** What a look at the lock table showed. Ages are measured on the ClickHouse server's clock (its now()). */
export type LockSight =
  | { kind: 'free' }
  /** The table exists without a heartbeat: just created, or its creator died before its first beat. */
  | { kind: 'empty' }
  | { kind: 'held'; holder: string; heartbeatAgeMs: number };

/** What a waiter remembers between looks: since when (on its own clock) it has seen the table empty. */
export interface LockWatch {
  emptySinceMs?: number;
}

export type LockAction =
  | { action: 'create' }
  | { action: 'wait'; holder?: string; heartbeatAgeMs?: number }
  | { action: 'take-over'; holder?: string; reason: string };

/**
 * Decides on one look. A held lock whose last heartbeat is older than the stale limit is taken over (its holder was
 * killed, or is paused or cut off from ClickHouse longer than the limit). An empty lock table is judged by how long
 * this waiter has seen it empty, as its creator's first beat follows the CREATE at once.
 */
export function decideLock(
  sight: LockSight,
  watch: LockWatch,
  nowMs: number,
  staleAfterMs: number,
): { next: LockAction; watch: LockWatch } {
  if (sight.kind === 'free') return { next: { action: 'create' }, watch: {} };
  if (sight.kind === 'empty') {
    const emptySinceMs = watch.emptySinceMs ?? nowMs;
    const emptyMs = nowMs - emptySinceMs;
    return emptyMs > staleAfterMs
      ? { next: { action: 'take-over', reason: `lock table empty for ${emptyMs} ms` }, watch: {} }
      : { next: { action: 'wait' }, watch: { emptySinceMs } };
  }
  if (sight.heartbeatAgeMs > staleAfterMs) {
    return {
      next: { action: 'take-over', holder: sight.holder, reason: `last heartbeat ${sight.heartbeatAgeMs} ms ago` },
      watch: {},
    };
  }
  return { next: { action: 'wait', holder: sight.holder, heartbeatAgeMs: sight.heartbeatAgeMs }, watch: {} };
}

/** May the holder keep going? Only while the lock table still names it (a waiter may have taken over a stale lock). */
export function stillHolds(sight: LockSight, holder: string): boolean {
  return sight.kind === 'held' && sight.holder === holder;
}

/**
 * Where a stale lock is moved to by the instance taking it over (RENAME TABLE is atomic: of two waiters taking over
 * the same stale lock, the second finds this name taken, or the lock gone, and waits again). One name per stale
 * holder, so a second waiter cannot move the first one's fresh lock there.
 */
export function staleLockTableName(holder: string | undefined): string {
  const tag = holder === undefined ? 'empty' : createHash('sha256').update(holder).digest('hex').slice(0, 12);
  return `${lockTableName}_stale_${tag}`;
}

/** Heartbeat and polling periods for a stale limit: eight beats fit in the limit, a waiter looks four times in it. */
export function lockTiming(staleAfterMs: number): { heartbeatMs: number; pollMs: number } {
  return {
    heartbeatMs: Math.max(250, Math.floor(staleAfterMs / 8)),
    pollMs: Math.min(2_000, Math.max(100, Math.floor(staleAfterMs / 4))),
  };
}

/** How often a waiter logs that it still waits for the same holder. */
export const waitLogIntervalMs = 30_000;

/** Should the waiter log now: first look, another holder, or the interval passed since the last line. */
export function shouldLogWait(last: { atMs: number; holder?: string } | undefined, holder: string | undefined, nowMs: number): boolean {
  return last === undefined || last.holder !== holder || nowMs - last.atMs >= waitLogIntervalMs;
}

/** Has the wait gone on too long? waitLimitMs 0 means wait as long as the holder beats. */
export function waitedTooLong(startedMs: number, nowMs: number, waitLimitMs: number): boolean {
  return waitLimitMs > 0 && nowMs - startedMs > waitLimitMs;
}
