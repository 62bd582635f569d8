// Migration 0012: legs_by_extension holds the rows of legs (+1 and -1 alike) once the backfill ran over what was stored
// before it; running the backfill again adds nothing (a rerun after a cut-off backfill completes it instead of doubling
// it); rows written afterwards, amendments to another extension included, reach the copy through the materialized view.
import { legRecord } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationStatements, readMigrations } from '../src/migrations/files.js';
import { migrate } from '../src/migrations/migrate.js';
import { silent } from './support/harness.js';
import { migrationFixture } from './support/migration-fixture.js';

describe('0012: the legs again, ordered by extension', () => {
  const { database, clickhouse, before, migration: copy, write, close } = migrationFixture('migrations_by_extension', 12);
  afterAll(close);

  const hour = Date.UTC(2024, 4, 14, 9);
  const leg = (i: number, version: number, talkMs: number, extension = `ext-${i % 3}`, startMs = hour + i * 600_000) =>
    legRecord({ telephonySessionId: `s-be-${i}`, partyId: `p-be-${i}`, extensionId: extension, startMs, talkMs, version });

  const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
  /** Every row of the log and of its copy, +1 and -1 counted apart (no merge runs between the writes and the look). */
  const compare = async () => {
    const legs = 'telephony_session_id, party_id, version, sign, extension_id, start_ms, talk_ms';
    const legRows = await rows(`SELECT ${legs}, count() AS n FROM ${database}.legs GROUP BY ${legs} ORDER BY ${legs}`);
    expect(await rows(`SELECT ${legs}, count() AS n FROM ${database}.legs_by_extension GROUP BY ${legs} ORDER BY ${legs}`)).toEqual(
      legRows,
    );
    return legRows;
  };

  it('backfills the stored rows, a rerun of the backfill adds nothing, new rows follow', async () => {
    expect(copy?.name).toBe('0012_by_extension.sql');
    await migrate({ clickhouse, database, logger: silent, dir: before });
    // Stored before the migration: legs, then amendments (-1 rows): a leg moved to another extension, one by a day.
    await write(Array.from({ length: 8 }, (_, i) => leg(i, 1, i * 1000)));
    await write([leg(0, 2, 5000, 'ext-9'), leg(3, 2, 0, 'ext-0', hour + 86_400_000)]);

    expect((await migrate({ clickhouse, database, logger: silent })).applied).toEqual(
      readMigrations()
        .filter((migration) => migration.version >= 12)
        .map((migration) => migration.name),
    );
    const backfilled = await compare();
    expect(backfilled.length).toBe(8 + 2 * 2); // v1 of each, and a -1 and a +1 per amendment
    expect(backfilled.filter((row) => row.extension_id === 'ext-9')).toHaveLength(1);

    // The backfill alone, run again (as a rerun after a cut-off insert would): nothing is copied twice.
    const backfills = migrationStatements(copy?.sql ?? '', database).filter((statement) => statement.startsWith('INSERT INTO'));
    expect(backfills).toHaveLength(1);
    for (const statement of backfills) await clickhouse.command({ query: statement });
    expect(await compare()).toEqual(backfilled);

    // After the migration the view copies new rows and amendments.
    await write([leg(20, 1, 3000), leg(5, 2, 9000, 'ext-7')]);
    const after = await compare();
    expect(after.length).toBe(backfilled.length + 3);
  });
});
