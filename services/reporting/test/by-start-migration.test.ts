// Migration 0010: legs_by_start and queue_sessions_by_start hold the rows of legs and of the queued sessions (+1 and
// -1 alike) once the backfill ran over what was stored before it; running the backfills again adds nothing (a rerun
// after a cut-off backfill completes it instead of doubling it); rows written afterwards reach the copies through the
// materialized views.
import { legRecord, sessionRecord } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationStatements, readMigrations } from '../src/migrations/files.js';
import { migrate } from '../src/migrations/migrate.js';
import { silent } from './support/harness.js';
import { migrationFixture } from './support/migration-fixture.js';

describe('0010: the logs again, ordered by start', () => {
  const { database, clickhouse, before, migration: copies, write, close } = migrationFixture('migrations_by_start', 10);
  afterAll(close);

  const hour = Date.UTC(2024, 4, 14, 9);
  const leg = (i: number, version: number, talkMs: number, startMs = hour + i * 600_000) =>
    legRecord({ telephonySessionId: `s-bs-${i}`, partyId: `p-bs-${i}`, extensionId: `ext-${i % 3}`, startMs, talkMs, version });
  const session = (i: number, version: number, queueId: string, startMs = hour + i * 600_000) =>
    sessionRecord({ telephonySessionId: `s-bq-${i}`, startMs, queueId, queueName: queueId ? `Queue ${queueId}` : '', version });

  const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
  /** Every row of each log and of its copy, +1 and -1 counted apart (no merge runs between the writes and the look). */
  const compare = async () => {
    const legs = 'telephony_session_id, party_id, version, sign, start_ms, talk_ms';
    const legRows = await rows(`SELECT ${legs}, count() AS n FROM ${database}.legs GROUP BY ${legs} ORDER BY ${legs}`);
    expect(await rows(`SELECT ${legs}, count() AS n FROM ${database}.legs_by_start GROUP BY ${legs} ORDER BY ${legs}`)).toEqual(legRows);
    const sessions = 'telephony_session_id, version, sign, start_ms, queue_id';
    const queued = await rows(
      `SELECT ${sessions}, count() AS n FROM ${database}.sessions WHERE queue_id != '' GROUP BY ${sessions} ORDER BY ${sessions}`,
    );
    expect(
      await rows(`SELECT ${sessions}, count() AS n FROM ${database}.queue_sessions_by_start GROUP BY ${sessions} ORDER BY ${sessions}`),
    ).toEqual(queued);
    return { legs: legRows, sessions: queued };
  };

  it('backfills the stored rows, a rerun of the backfills adds nothing, new rows follow', async () => {
    expect(copies?.name).toBe('0010_by_start.sql');
    await migrate({ clickhouse, database, logger: silent, dir: before });
    // Stored before the migration: legs and sessions, then amendments (-1 rows): a leg moved by a day, a session
    // moved out of its queue, one into a queue.
    await write([
      ...Array.from({ length: 8 }, (_, i) => leg(i, 1, i * 1000)),
      ...Array.from({ length: 6 }, (_, i) => session(i, 1, i % 2 ? 'q-1' : '')),
    ]);
    await write([leg(0, 2, 5000), leg(3, 2, 0, hour + 86_400_000), session(1, 2, ''), session(2, 2, 'q-2')]);

    expect((await migrate({ clickhouse, database, logger: silent })).applied).toEqual(
      readMigrations()
        .filter((migration) => migration.version >= 10)
        .map((migration) => migration.name),
    );
    const backfilled = await compare();
    expect(backfilled.legs.length).toBe(8 + 2 * 2); // v1 of each, and a -1 and a +1 per amendment
    expect(backfilled.sessions.filter((row) => Number(row.sign) === -1)).toHaveLength(1); // session 1's v1, cancelled

    // The backfills alone, run again (as a rerun after a cut-off insert would): nothing is copied twice.
    const backfills = migrationStatements(copies?.sql ?? '', database).filter((statement) => statement.startsWith('INSERT INTO'));
    expect(backfills).toHaveLength(2);
    for (const statement of backfills) await clickhouse.command({ query: statement });
    expect(await compare()).toEqual(backfilled);

    // After the migration the views copy new rows and amendments.
    await write([leg(20, 1, 3000), leg(5, 2, 9000), session(20, 1, 'q-1'), session(3, 2, 'q-2')]);
    const after = await compare();
    expect(after.legs.length).toBe(backfilled.legs.length + 3);
    expect(after.sessions.length).toBe(backfilled.sessions.length + 3);
  });
});
