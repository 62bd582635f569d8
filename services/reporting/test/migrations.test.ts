// Migrations: split into statements, applied once in order, recorded with checksums; an edited one is refused.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletedLegRecord } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { legRecord } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { defaultMigrationsDir, migrationStatements, readMigrations } from '../src/migrations/files.js';
import { MigrationError, migrate } from '../src/migrations/migrate.js';
import { RecordWriter } from '../src/writer/writer.js';
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
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
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

describe('0006: per-phase leg counts in extension_hourly', () => {
  const database = uniqueName('migrations_phases');
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  const before = mkdtempSync(join(tmpdir(), 'reporting-migrations-0005-'));
  for (const migration of readMigrations().filter((m) => m.version <= 5)) writeFileSync(join(before, migration.name), migration.sql);
  const phases = readMigrations().find((migration) => migration.version === 6);
  afterAll(async () => {
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
    rmSync(before, { recursive: true, force: true });
  });

  const writer = new RecordWriter(clickhouse, database, silent);
  const write = async (records: CompletedLegRecord[]) => {
    const result = await writer.write(records.map((record) => ({ record, source: record.telephonySessionId })));
    expect(result.rejected).toEqual([]);
  };
  const hour = Date.UTC(2024, 4, 14, 9);
  const leg = (i: number, version: number, phases: [number, number, number], startMs = hour + i * 600_000) =>
    legRecord({
      telephonySessionId: `s-ph-${i}`,
      partyId: `p-ph-${i}`,
      extensionId: `ext-${i % 3}`,
      startMs,
      ringMs: phases[0],
      talkMs: phases[1],
      holdMs: phases[2],
      result: phases[1] > 0 ? 'Answered' : 'Missed',
      version,
    });
  /** Per (extension, hour, direction, result): the sums in extension_hourly_stats, and the same counted on legs_latest. */
  const compare = async () => {
    const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
    const hourly = await rows(
      `SELECT extension_id, toUnixTimestamp(hour) AS h, direction, result, legs, ring_legs, talk_legs, hold_legs, ring_ms AS ring_total
       FROM ${database}.extension_hourly_stats ORDER BY extension_id, h, direction, result`,
    );
    const latest = await rows(
      `SELECT extension_id, toUnixTimestamp(toStartOfHour(start_time, 'UTC')) AS h, direction, result, count() AS legs,
         countIf(ring_ms > 0) AS ring_legs, countIf(talk_ms > 0) AS talk_legs, countIf(hold_ms > 0) AS hold_legs, sum(ring_ms) AS ring_total
       FROM ${database}.legs_latest GROUP BY extension_id, h, direction, result ORDER BY extension_id, h, direction, result`,
    );
    expect(hourly.map((row) => ({ ...row, legs: Number(row.legs) }))).toEqual(latest.map((row) => ({ ...row, legs: Number(row.legs) })));
    return hourly;
  };
  const totals = (rows: Array<Record<string, string>>) =>
    ['ring_legs', 'talk_legs', 'hold_legs'].map((column) => rows.reduce((sum, row) => sum + Number(row[column]), 0));

  it('backfills the stored legs, sign-weighted; a rerun completes a cut-off backfill instead of doubling it; new legs follow', async () => {
    expect(phases?.name).toBe('0006_extension_hourly_phase_legs.sql');
    await migrate({ clickhouse, database, logger: silent, dir: before });
    // Stored before the migration: twelve legs, then amendments that change phases to and from zero and move a leg
    // to another hour (each writes a -1 copy of the stored version).
    await write(Array.from({ length: 12 }, (_, i) => leg(i, 1, [i % 4 === 0 ? 0 : 3000, i % 3 === 0 ? 0 : 60000, i % 2 === 0 ? 0 : 5000])));
    await write([leg(0, 2, [2000, 40000, 7000]), leg(1, 2, [0, 0, 0]), leg(5, 2, [1000, 0, 0], hour + 5 * 3600_000), leg(6, 3, [0, 1, 0])]);

    // A first attempt that stops after its backfill (say, the connection dropped before the runner recorded it) ...
    const statements = migrationStatements(phases?.sql ?? '', database);
    for (const statement of statements.slice(0, 4)) await clickhouse.command({ query: statement });
    // ... the rerun stops at the ALTER: 18.16 has no ADD COLUMN IF NOT EXISTS. The documented way out: drop the
    // three columns, run again.
    await expect(migrate({ clickhouse, database, logger: silent })).rejects.toThrow(
      /0006_extension_hourly_phase_legs\.sql failed.*already exists/s,
    );
    await clickhouse.command({
      query: `ALTER TABLE ${database}.extension_hourly DROP COLUMN sum_ring_legs, DROP COLUMN sum_talk_legs, DROP COLUMN sum_hold_legs`,
    });
    const fromPhases = readMigrations().filter((migration) => migration.version >= 6);
    expect((await migrate({ clickhouse, database, logger: silent })).applied).toEqual(fromPhases.map((migration) => migration.name));
    // Latest versions: ring > 0 in 8 legs, talk > 0 in 8, hold > 0 in 5 (worked out from the records above).
    expect(totals(await compare())).toEqual([8, 8, 5]);

    // The backfill alone, run again (as a rerun after a cut-off insert would): it inserts only what is missing.
    const backfill = statements.find((statement) => statement.startsWith('INSERT INTO'));
    expect(backfill).toBeDefined();
    await clickhouse.command({ query: backfill ?? '' });
    expect(totals(await compare())).toEqual([8, 8, 5]);

    // After the migration the materialized view fills the new columns: new legs and amendments of old ones.
    await write([leg(20, 1, [4000, 0, 0]), leg(2, 2, [0, 0, 0]), leg(3, 2, [3000, 90000, 1000]), leg(21, 1, [0, 30000, 2000])]);
    expect(totals(await compare())).toEqual([8, 9, 6]);
  });
});
