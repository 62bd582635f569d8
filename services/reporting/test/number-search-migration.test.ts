// Migration 0014: the number search's index holds, once the backfills ran over what was stored before it, every
// suffix (4 bytes or more) of every number of every leg row per month, and every (number, start time), +1 and -1 rows
// alike; a rerun of the backfills and rows the views wrote too change nothing the API reads (the index is a set);
// rows written afterwards, amendments that change a number included, reach it through the views.
import { legRecord } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationStatements } from '../src/migrations/files.js';
import { migrate } from '../src/migrations/migrate.js';
import { silent } from './support/harness.js';
import { migrationFixture } from './support/migration-fixture.js';

describe('0014: the number search index', () => {
  const { database, clickhouse, before, migration: index, write, close } = migrationFixture('migrations_number_search', 14);
  afterAll(close);

  const hour = Date.UTC(2024, 4, 31, 22);
  const leg = (i: number, version: number, fromNumber: string, toNumber = '+15550100999', startMs = hour + i * 600_000) =>
    legRecord({ telephonySessionId: `s-ns-${i}`, partyId: `p-ns-${i}`, extensionId: 'ext-1', startMs, fromNumber, toNumber, version });

  const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
  /** What the index should hold, from the legs' rows (+1 and -1), against what it holds (as sets: duplicates are free). */
  const compare = async () => {
    const sides = `SELECT start_time, arrayJoin([from_number, to_number]) AS number FROM ${database}.legs`;
    const suffixes = `SELECT DISTINCT toYYYYMM(start_time) AS month, arrayJoin(arrayMap(i -> substring(number, i + 1), range(toUInt64(length(number) - 3)))) AS suffix, number FROM (${sides}) WHERE length(number) >= 4 ORDER BY month, suffix, number`;
    const expected = await rows(suffixes);
    expect(await rows(`SELECT DISTINCT month, suffix, number FROM ${database}.leg_number_suffixes ORDER BY month, suffix, number`)).toEqual(
      expected,
    );
    const starts = await rows(`SELECT DISTINCT number, start_time FROM (${sides}) WHERE length(number) >= 4 ORDER BY number, start_time`);
    expect(await rows(`SELECT DISTINCT number, start_time FROM ${database}.leg_number_starts ORDER BY number, start_time`)).toEqual(starts);
    return { suffixes: expected.length, starts: starts.length };
  };

  it('backfills the stored rows, a rerun of the backfills changes nothing, new rows and amendments follow', async () => {
    expect(index?.name).toBe('0014_number_search.sql');
    await migrate({ clickhouse, database, logger: silent, dir: before });
    // Stored before the migration: legs (one with a short number, one with none, across a month's end), then
    // amendments (-1 rows): a caller's number changed, a leg moved by a day into the next month.
    await write([
      leg(0, 1, '+15550123456'),
      leg(1, 1, '+442079460000'),
      leg(2, 1, '101'),
      leg(3, 1, ''),
      leg(4, 1, '+15550123456', '+15550100998'),
    ]);
    await write([leg(0, 2, '+15559876543'), leg(1, 2, '+442079460000', '+15550100999', hour + 86_400_000)]);

    expect((await migrate({ clickhouse, database, logger: silent })).applied).toContain('0014_number_search.sql');
    const backfilled = await compare();
    // 12-byte numbers have 9 suffixes of 4 bytes or more, 13-byte ones 10; '101' and '' none.
    expect(backfilled.suffixes).toBeGreaterThan(40);

    // The backfills alone, run again (as a rerun after a cut-off insert would): the same sets.
    const backfills = migrationStatements(index?.sql ?? '', database).filter((statement) => statement.startsWith('INSERT INTO'));
    expect(backfills).toHaveLength(2);
    for (const statement of backfills) await clickhouse.command({ query: statement });
    expect(await compare()).toEqual(backfilled);

    // After the migration the views index new rows and amendments (a number changed on the callee's side).
    await write([leg(20, 1, '+15550111111'), leg(4, 2, '+15550123456', '+15550177777')]);
    const after = await compare();
    expect(after.starts).toBeGreaterThan(backfilled.starts);
    const [seen] = await rows(
      `SELECT count() AS n FROM ${database}.leg_number_suffixes WHERE suffix = '0177777' AND number = '+15550177777'`,
    );
    expect(Number(seen?.n)).toBeGreaterThan(0);
  });
});
