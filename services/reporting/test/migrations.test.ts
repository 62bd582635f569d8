// Migrations: split into statements, applied once in order, recorded with checksums; an edited one is refused.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClickHouseClient } from '@callpulse/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { defaultMigrationsDir, migrationStatements, readMigrations } from '../src/migrations/files.js';
import { MigrationError, migrate } from '../src/migrations/migrate.js';
import { silent } from './support/harness.js';

describe('migration files', () => {
  it('are numbered, ordered and found from the package root', () => {
    const names = readMigrations().map((migration) => migration.name);
    expect(names[0]).toBe('0001_legs.sql');
    expect(names).toEqual([...names].sort());
  });

  it('split at semicolons outside quotes and comments, with the database filled in', () => {
    const statements = migrationStatements(
      "-- a; comment\nCREATE TABLE {{database}}.t (a String DEFAULT ';');\n\nSELECT 'it\\'s;' ;",
      '`db`',
    );
    expect(statements).toEqual(["CREATE TABLE `db`.t (a String DEFAULT ';')", "SELECT 'it\\'s;'"]);
  });
});

describe('migrate', () => {
  const database = uniqueName('migrations');
  const clickhouse = createClickHouseClient({ url: clickhouseUrl });
  const dir = mkdtempSync(join(tmpdir(), 'reporting-migrations-'));
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  afterAll(async () => {
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every migration once and records its checksum', async () => {
    const first = await migrate({ clickhouse, database, logger: silent, dir });
    expect(first.applied).toEqual(readMigrations(dir).map((migration) => migration.name));
    expect((await migrate({ clickhouse, database, logger: silent, dir })).applied).toEqual([]);
    const result = await clickhouse.query({
      query: `SELECT name, checksum FROM ${database}.schema_migrations ORDER BY version`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual(readMigrations(dir).map(({ name, checksum }) => ({ name, checksum })));
    const views = await clickhouse.query({
      query: `SELECT name FROM system.tables WHERE database = '${database}' AND engine = 'View' ORDER BY name`,
      format: 'JSONEachRow',
    });
    expect(await views.json()).toEqual(
      ['extension_hourly_maxima', 'extension_hourly_stats', 'legs_latest', 'queue_stats', 'sessions_latest'].map((name) => ({ name })),
    );
  });

  it('applies a new migration and refuses one edited after it was applied', async () => {
    writeFileSync(join(dir, '0900_extra.sql'), `CREATE TABLE IF NOT EXISTS {{database}}.extra (a UInt8) ENGINE = MergeTree ORDER BY a;`);
    expect((await migrate({ clickhouse, database, logger: silent, dir })).applied).toEqual(['0900_extra.sql']);
    const legs = join(dir, '0001_legs.sql');
    writeFileSync(legs, `${readFileSync(legs, 'utf8')}\n-- edited\n`);
    const attempt = migrate({ clickhouse, database, logger: silent, dir });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(migrate({ clickhouse, database, logger: silent, dir })).rejects.toThrow(/0001_legs\.sql was changed after it was applied/);
  });

  it('names the migration and statement that failed', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'reporting-migrations-broken-'));
    writeFileSync(join(broken, '0001_broken.sql'), 'CREATE TABLE {{database}}.broken (a Nonsense) ENGINE = MergeTree ORDER BY a;');
    try {
      await expect(migrate({ clickhouse, database: `${database}_b`, logger: silent, dir: broken })).rejects.toThrow(
        /0001_broken\.sql failed/,
      );
    } finally {
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}_b` });
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
