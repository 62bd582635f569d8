// Applies the migrations not applied yet, in order, and records each with its checksum. An applied migration whose
// file changed since is an error: schema changes go into a new migration. One instance at a time: the migration lock
// (lock.ts) is taken when something is to be applied, and what is applied is read again under it.

import { tableNames } from '@callpulse/contracts';
import type { ClickHouseClient, Logger } from '@callpulse/platform';
import { clickHouseErrorCode, escapeIdentifier, ident, qualified, sql } from '@callpulse/platform';
import { defaultMigrationsDir, type Migration, migrationStatements, readMigrations } from './files.js';
import { acquireMigrationLock, type MigrationLockSettings } from './lock.js';

/**
 * Request timeout of the client that applies migrations (the services' 30 s is far too short for a backfill: 0006
 * reads every stored leg, about a minute for 10 million). A statement cut off by this timeout may still finish on
 * the server, but the migration is not recorded; see the migration's own notes on a rerun.
 */
export const MIGRATION_REQUEST_TIMEOUT_MS = 3_600_000;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** An applied migration's file changed: no retry helps, a person must restore the file. */
export class MigrationChangedError extends MigrationError {
  override name = 'MigrationChangedError';
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

const DATABASE_ALREADY_EXISTS = 82;
const UNKNOWN_TABLE = 60;

export async function migrate(options: {
  clickhouse: ClickHouseClient;
  database: string;
  logger: Logger;
  dir?: string;
  /** The migration lock's stale limit and wait limit (config.ts: migrationLockSettings). */
  lock?: MigrationLockSettings;
  /** Aborting it (SIGTERM) ends a wait for the lock at once, and stops between two migrations. */
  signal?: AbortSignal;
}): Promise<{ applied: string[] }> {
  const { clickhouse, database, logger, signal } = options;
  const migrations = readMigrations(options.dir ?? defaultMigrationsDir);
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(database)}` }).catch((err: unknown) => {
    // Two instances creating it at once: the second may find it created between its check and its create.
    if (clickHouseErrorCode(err) !== DATABASE_ALREADY_EXISTS) throw err;
  });
  // Read once without the lock: the usual start-up has nothing to apply and so never waits for another instance.
  const applied = await readApplied(clickhouse, database);
  if (applied && pending(migrations, applied, database, logger).length === 0) return { applied: [] };

  const lock = await acquireMigrationLock({ clickhouse, database, logger, settings: options.lock, signal });
  try {
    const table = qualified(database, tableNames.migrations);
    await clickhouse.command({
      query: `CREATE TABLE IF NOT EXISTS ${table} (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`,
    });
    // Again under the lock: another instance may have applied some or all of them while this one waited.
    const done: string[] = [];
    const appliedNow = (await readApplied(clickhouse, database)) ?? new Map<number, AppliedRow>();
    // (the applied migrations without a file were warned about above, when the table was there)
    for (const migration of pending(migrations, appliedNow, database, applied ? undefined : logger)) {
      signal?.throwIfAborted();
      for (const statement of migrationStatements(migration.sql, escapeIdentifier(database))) {
        lock.assertHeld();
        try {
          await clickhouse.command({ query: statement });
        } catch (err) {
          throw new MigrationError(`migration ${migration.name} failed: ${(err as Error).message}\nstatement:\n${statement}`);
        }
      }
      lock.assertHeld();
      await clickhouse.command({
        query:
          sql`INSERT INTO ${ident(tableNames.migrations, database)} (version, name, checksum, applied_at) VALUES (${migration.version}, ${migration.name}, ${migration.checksum}, now())`
            .text,
      });
      logger.info({ migration: migration.name, database }, 'migration applied');
      done.push(migration.name);
    }
    return { applied: done };
  } finally {
    await lock.release();
  }
}

/** The recorded migrations by version, or undefined when the migrations table does not exist yet. */
async function readApplied(clickhouse: ClickHouseClient, database: string): Promise<Map<number, AppliedRow> | undefined> {
  const table = qualified(database, tableNames.migrations);
  try {
    const result = await clickhouse.query({
      query: `SELECT version, name, checksum FROM ${table} ORDER BY version`,
      format: 'JSONEachRow',
    });
    return new Map((await result.json<AppliedRow>()).map((row) => [Number(row.version), row]));
  } catch (err) {
    if (clickHouseErrorCode(err) === UNKNOWN_TABLE) return undefined;
    throw err;
  }
}

/** The migrations still to apply, in order; throws for an applied one whose file changed, warns for one without file. */
function pending(migrations: Migration[], applied: Map<number, AppliedRow>, database: string, logger: Logger | undefined): Migration[] {
  for (const migration of migrations) {
    const recorded = applied.get(migration.version);
    if (recorded && recorded.checksum !== migration.checksum) {
      throw new MigrationChangedError(
        `migration ${migration.name} was changed after it was applied to database ${database} ` +
          `(recorded checksum ${recorded.checksum.slice(0, 12)}…, file now ${migration.checksum.slice(0, 12)}…); ` +
          'restore the file and put the change in a new migration',
      );
    }
  }
  for (const version of applied.keys()) {
    if (!migrations.some((migration) => migration.version === version)) {
      logger?.warn({ version, name: applied.get(version)?.name }, 'an applied migration has no file here (older code?)');
    }
  }
  return migrations.filter((migration) => !applied.has(migration.version));
}
