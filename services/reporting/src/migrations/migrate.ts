// Applies the migrations not applied yet, in order, and records each with its checksum. An applied migration whose
// file changed since is an error: schema changes go into a new migration.

import { tableNames } from '@callpulse/contracts';
import type { ClickHouseClient, Logger } from '@callpulse/platform';
import { escapeIdentifier, ident, qualified, sql } from '@callpulse/platform';
import { defaultMigrationsDir, migrationStatements, readMigrations } from './files.js';

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

export async function migrate(options: {
  clickhouse: ClickHouseClient;
  database: string;
  logger: Logger;
  dir?: string;
}): Promise<{ applied: string[] }> {
  const { clickhouse, database, logger } = options;
  const migrations = readMigrations(options.dir ?? defaultMigrationsDir);
  const table = qualified(database, tableNames.migrations);
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(database)}` });
  await clickhouse.command({
    query: `CREATE TABLE IF NOT EXISTS ${table} (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`,
  });
  const result = await clickhouse.query({ query: `SELECT version, name, checksum FROM ${table} ORDER BY version`, format: 'JSONEachRow' });
  const applied = new Map((await result.json<AppliedRow>()).map((row) => [Number(row.version), row]));

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
      logger.warn({ version, name: applied.get(version)?.name }, 'an applied migration has no file here (older code?)');
    }
  }

  const done: string[] = [];
  for (const migration of migrations.filter((m) => !applied.has(m.version))) {
    for (const statement of migrationStatements(migration.sql, escapeIdentifier(database))) {
      try {
        await clickhouse.command({ query: statement });
      } catch (err) {
        throw new MigrationError(`migration ${migration.name} failed: ${(err as Error).message}\nstatement:\n${statement}`);
      }
    }
    await clickhouse.command({
      query:
        sql`INSERT INTO ${ident(tableNames.migrations, database)} (version, name, checksum, applied_at) VALUES (${migration.version}, ${migration.name}, ${migration.checksum}, now())`
          .text,
    });
    logger.info({ migration: migration.name, database }, 'migration applied');
    done.push(migration.name);
  }
  return { applied: done };
}
