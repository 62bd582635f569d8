// The migration lock on ClickHouse alone (no transactions, no advisory locks there): the I/O around lock-rules.ts.
//
// Taking it is `CREATE TABLE <db>.schema_migrations_lock` WITHOUT `IF NOT EXISTS`, atomic on one server: the second
// CREATE fails with TABLE_ALREADY_EXISTS (57). The holder writes its name and the server's now() as a heartbeat row
// at once and then every stale limit / 8 (a timer of its own, so a long backfill statement does not delay it), and
// drops the table when done, on success and on failure. The others look every stale limit / 4 (2 s at most), log
// that they wait and for whom, and take over a lock whose last heartbeat is older than the stale limit (measured on
// the server's clock): they RENAME it to a name derived from the stale holder (atomic: a second waiter finds the
// name taken, or the lock gone, and waits again), then CREATE their own.
//
// A holder merely paused (SIGSTOP, a frozen VM, cut off from ClickHouse) longer than the stale limit loses the lock:
// another instance takes over and applies the migration the paused one was in, while the statement the paused one
// had sent may still run on the server, so a backfill may then run twice (0006's could double, 0010's copies
// rows twice). When the paused holder resumes, its heartbeat finds the lock no longer names it: it sends no further
// statement and fails (the service retries and finds the migrations applied). Hence the default limit of 2 minutes:
// heartbeats continue during a backfill (1-2 minutes on 10 million legs), so the limit only has to cover a pause or
// a ClickHouse that does not answer a heartbeat, and a holder killed with SIGKILL delays the others' start by at most
// that long. A waiter paused between deciding to take over and its RENAME for longer than a whole migration could
// still move a later holder's lock: no fencing on ClickHouse prevents it, only the limit's margin.
//
// A SIGTERM while waiting ends the wait at once; while holding, the migration under way is finished (the service
// stops between two migrations), but a process that exits first (the service's stop timeout) leaves its lock to go
// stale, on purpose: a statement it sent may still run on the server, and releasing early would let another
// instance start the same migration alongside it.
//
// ON CLUSTER: not handled. The lock table, like the migrations (which use no ON CLUSTER either), lives on the one
// server CLICKHOUSE_URL reaches; instances behind a load balancer over several replicas would each see their own
// lock. A cluster would need every instance to migrate through one server, or a lock that the cluster's Keeper
// decides: CREATE TABLE ... ENGINE = ReplicatedMergeTree('/callpulse/<db>/migration_lock', ...) on one host fails for
// the second creator because the Keeper path exists, whereas CREATE ... ON CLUSTER reports per host and is no lock.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient, Logger } from '@callpulse/platform';
import { clickHouseErrorCode, escapeIdentifier, escapeString } from '@callpulse/platform';
import {
  decideLock,
  type LockSight,
  type LockWatch,
  lockTableName,
  lockTiming,
  shouldLogWait,
  staleLockTableName,
  stillHolds,
  waitedTooLong,
} from './lock-rules.js';

const TABLE_ALREADY_EXISTS = 57;
const UNKNOWN_TABLE = 60;

export interface MigrationLockSettings {
  /** A lock whose last heartbeat is older than this is taken over (REPORTING_MIGRATION_LOCK_STALE_MS). */
  staleAfterMs: number;
  /** Give up waiting after this long; 0 waits as long as the holder beats (REPORTING_MIGRATION_LOCK_WAIT_MS). */
  waitLimitMs: number;
}

export const defaultMigrationLockSettings: MigrationLockSettings = { staleAfterMs: 120_000, waitLimitMs: 0 };

export class MigrationLockError extends Error {
  override name = 'MigrationLockError';
}

export interface MigrationLock {
  holder: string;
  /** Throws when the lock was taken over meanwhile: the holder must send no further statement. */
  assertHeld(): void;
  /** Stops the heartbeat and drops the lock table (if it still names this holder) and any stale lock it moved. */
  release(): Promise<void>;
}

/** This process's name in the lock table: host, pid and a random tag (two runs of one pid differ). */
export function lockHolderName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Waits for the migration lock of the database and takes it. Rejects when signal aborts while it waits. */
export async function acquireMigrationLock(options: {
  clickhouse: ClickHouseClient;
  database: string;
  logger: Logger;
  settings?: MigrationLockSettings;
  signal?: AbortSignal;
  holder?: string;
}): Promise<MigrationLock> {
  const { clickhouse, database, logger, signal } = options;
  const { staleAfterMs, waitLimitMs } = options.settings ?? defaultMigrationLockSettings;
  const holder = options.holder ?? lockHolderName();
  const { heartbeatMs, pollMs } = lockTiming(staleAfterMs);
  const table = (name: string) => `${escapeIdentifier(database)}.${escapeIdentifier(name)}`;
  const lockTable = table(lockTableName);
  const moved: string[] = [];

  const look = () => lookAtLock(clickhouse, lockTable);
  const beat = () => clickhouse.command({ query: `INSERT INTO ${lockTable} (holder, beat_at) SELECT ${escapeString(holder)}, now()` });
  const create = async (): Promise<boolean> => {
    try {
      await clickhouse.command({
        query: `CREATE TABLE ${lockTable} (holder String, beat_at DateTime) ENGINE = MergeTree ORDER BY beat_at`,
      });
    } catch (err) {
      if (clickHouseErrorCode(err) === TABLE_ALREADY_EXISTS) return false;
      throw err;
    }
    await beat();
    return true;
  };
  const moveAside = async (staleHolder: string | undefined): Promise<boolean> => {
    const name = staleLockTableName(staleHolder);
    try {
      await clickhouse.command({ query: `RENAME TABLE ${lockTable} TO ${table(name)}` });
    } catch (err) {
      const code = clickHouseErrorCode(err);
      if (code === TABLE_ALREADY_EXISTS || code === UNKNOWN_TABLE) return false;
      throw err;
    }
    moved.push(name);
    return true;
  };

  const startedMs = Date.now();
  let watch: LockWatch = {};
  let logged: { atMs: number; holder?: string } | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const decision = decideLock(await look(), watch, Date.now(), staleAfterMs);
    watch = decision.watch;
    const next = decision.next;
    if (next.action === 'create') {
      if (await create()) break;
      continue;
    }
    if (next.action === 'take-over') {
      logger.warn({ database, staleHolder: next.holder, reason: next.reason }, 'taking over a stale migration lock');
      if ((await moveAside(next.holder)) && (await create())) break;
      continue;
    }
    const nowMs = Date.now();
    if (waitedTooLong(startedMs, nowMs, waitLimitMs)) {
      throw new MigrationLockError(
        `gave up waiting for the migration lock of database ${database} after ${nowMs - startedMs} ms ` +
          `(held by ${next.holder ?? 'an instance that has not beaten yet'}; REPORTING_MIGRATION_LOCK_WAIT_MS)`,
      );
    }
    if (shouldLogWait(logged, next.holder, nowMs)) {
      logger.info(
        { database, holder: next.holder ?? '(no heartbeat yet)', heartbeatAgeMs: next.heartbeatAgeMs, staleAfterMs },
        'waiting for the migration lock',
      );
      logged = { atMs: nowMs, holder: next.holder };
    }
    await sleep(pollMs, undefined, { signal });
  }
  if (logged) logger.info({ database, waitedMs: Date.now() - startedMs }, 'took the migration lock');

  // The heartbeat: one at a time, each first checking that the lock still names this holder.
  const stopBeating = new AbortController();
  let lostReason: string | undefined;
  const beating = (async () => {
    while (!stopBeating.signal.aborted && lostReason === undefined) {
      await sleep(heartbeatMs, undefined, { signal: stopBeating.signal }).catch(() => undefined);
      if (stopBeating.signal.aborted) return;
      try {
        const sight = await look();
        if (!stillHolds(sight, holder)) {
          lostReason = `the migration lock of database ${database} was taken over (${describe(sight)})`;
          logger.error({ database, holder }, 'lost the migration lock: a heartbeat was late by more than the stale limit');
          return;
        }
        await beat();
      } catch (err) {
        logger.warn({ err, database }, 'migration lock heartbeat failed; trying again');
      }
    }
  })();

  return {
    holder,
    assertHeld() {
      if (lostReason !== undefined) throw new MigrationLockError(`${lostReason}; stopped before the next statement`);
    },
    async release() {
      stopBeating.abort();
      await beating;
      try {
        if (lostReason === undefined && stillHolds(await look(), holder)) {
          await clickhouse.command({ query: `DROP TABLE IF EXISTS ${lockTable}` });
        }
        for (const name of moved) await clickhouse.command({ query: `DROP TABLE IF EXISTS ${table(name)}` });
      } catch (err) {
        // Left behind, the lock goes stale and the next instance takes it over after the limit.
        logger.warn({ err, database }, 'could not release the migration lock; it will be taken over once stale');
      }
    },
  };
}

/** One look at the lock table: its newest heartbeat's holder and age on the server's clock. */
async function lookAtLock(clickhouse: ClickHouseClient, lockTable: string): Promise<LockSight> {
  try {
    const result = await clickhouse.query({
      query: `SELECT count() AS beats, argMax(holder, beat_at) AS holder, toInt64(toUInt32(now())) - toInt64(toUInt32(max(beat_at))) AS age_s FROM ${lockTable}`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ beats: string | number; holder: string; age_s: string | number }>();
    if (!row || Number(row.beats) === 0) return { kind: 'empty' };
    return { kind: 'held', holder: row.holder, heartbeatAgeMs: Math.max(0, Number(row.age_s)) * 1000 };
  } catch (err) {
    if (clickHouseErrorCode(err) === UNKNOWN_TABLE) return { kind: 'free' };
    throw err;
  }
}

function describe(sight: LockSight): string {
  if (sight.kind === 'held') return `now held by ${sight.holder}`;
  return sight.kind === 'free' ? 'the lock table is gone' : 'the lock table is empty';
}
