// Migration 0011: the time-ordered sums (leg_quarter_hours, the duration histograms per quarter hour and per day,
// extension_days) hold the sign-weighted figures of the legs stored before it once its backfills ran; running the
// backfills again adds nothing (a rerun after a cut-off backfill completes it instead of doubling it); legs written
// afterwards, amendments included, reach them through the materialized views.
import { legRecord } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationStatements, readMigrations } from '../src/migrations/files.js';
import { migrate } from '../src/migrations/migrate.js';
import { silent } from './support/harness.js';
import { migrationFixture } from './support/migration-fixture.js';

describe('0011: sums of the legs ordered by time', () => {
  const { database, clickhouse, before, migration: buckets, write, close } = migrationFixture('migrations_time_buckets', 11);
  afterAll(close);

  const hour = Date.UTC(2024, 4, 14, 9);
  const leg = (i: number, version: number, ringMs: number, talkMs: number, startMs = hour + i * 700_000) =>
    legRecord({
      telephonySessionId: `s-tb-${i}`,
      partyId: `p-tb-${i}`,
      extensionId: `ext-${i % 3}`,
      direction: i % 2 ? 'Inbound' : 'Outbound',
      result: i % 5 === 4 ? 'Fax' : 'Answered',
      startMs,
      ringMs,
      talkMs,
      version,
    });

  const rows = async (query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
  const phases = 'ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms WHERE phase_ms > 0';
  /** Each table's figures against the same figures summed from the legs' signed rows. */
  const compare = async () => {
    const same = async (fromTable: string, fromLegs: string) => {
      const expected = await rows(`SELECT * FROM (${fromLegs}) WHERE n != 0 ORDER BY k`);
      expect(await rows(`SELECT * FROM (${fromTable}) WHERE n != 0 ORDER BY k`)).toEqual(expected);
      return expected;
    };
    const quarter = 'intDiv(toUInt32(start_time), 900) * 900';
    return [
      await same(
        `SELECT concat(toString(toUInt32(bucket)), result, ended_by, toString(was_answered), toString(ring_seconds)) AS k, sum(sum_legs) AS n, sum(sum_ring_ms) AS ring, sum(sum_talk_ms) AS talk, sum(sum_talk_legs) AS talked FROM ${database}.leg_quarter_hours GROUP BY k`,
        `SELECT concat(toString(${quarter}), result, ended_by, toString(toUInt8(answer_ms > 0)), toString(if(direction = 'Inbound' AND answer_ms > 0, least(intDiv(ring_ms + 999, 1000), 3601), 0))) AS k, sum(sign) AS n, sum(sign * ring_ms) AS ring, sum(sign * talk_ms) AS talk, sum(sign * (talk_ms > 0)) AS talked FROM ${database}.legs GROUP BY k`,
      ),
      await same(
        `SELECT concat(toString(phase), '/', toString(non_call), '/', toString(phase_ms)) AS k, sum(sum_legs) AS n FROM ${database}.leg_phase_values GROUP BY k`,
        `SELECT concat(toString(phase), '/', toString(toUInt8(result = 'Fax')), '/', toString(phase_ms)) AS k, sum(sign) AS n FROM ${database}.legs ${phases} GROUP BY k`,
      ),
      await same(
        `SELECT concat(toString(phase), '/', toString(non_call), '/', toString(phase_ms)) AS k, sum(sum_legs) AS n FROM ${database}.leg_phase_day_values GROUP BY k`,
        `SELECT concat(toString(phase), '/', toString(toUInt8(result = 'Fax')), '/', toString(phase_ms)) AS k, sum(sign) AS n FROM ${database}.legs ${phases} GROUP BY k`,
      ),
      ...(await Promise.all(
        ['leg_phase_bins', 'leg_phase_day_bins'].map((table) =>
          same(
            `SELECT concat(toString(phase), '/', toString(bin)) AS k, sum(sum_legs) AS n, sum(sum_ms) AS ms FROM ${database}.${table} GROUP BY k`,
            `SELECT concat(toString(phase), '/', toString(bin)) AS k, sum(sum_legs) AS n, sum(toInt64(phase_ms) * sum_legs) AS ms FROM ${database}.leg_phase_values GROUP BY k`,
          ),
        ),
      )),
      await same(
        `SELECT concat(toString(toUInt32(day)), extension_id) AS k, sum(sum_legs) AS n, sum(sum_answered) AS answered, sum(sum_talk_ms) AS talk FROM ${database}.extension_days GROUP BY k`,
        `SELECT concat(toString(intDiv(toUInt32(start_time), 86400) * 86400), extension_id) AS k, sum(sign) AS n, sum(sign * (answer_ms > 0)) AS answered, sum(sign * talk_ms) AS talk FROM ${database}.legs GROUP BY k`,
      ),
    ];
  };

  it('backfills the stored legs, a rerun of the backfills adds nothing, new legs and amendments follow', async () => {
    expect(buckets?.name).toBe('0011_time_buckets.sql');
    await migrate({ clickhouse, database, logger: silent, dir: before });
    // Stored before the migration, then amended (-1 rows): a leg moved by a day, one changed, one into Fax.
    await write(Array.from({ length: 12 }, (_, i) => leg(i, 1, 1000 * i + 1, i % 3 === 0 ? 0 : 60_000 + i)));
    await write([leg(0, 2, 5000, 5000), leg(3, 2, 0, 7000, hour + 86_400_000), { ...leg(2, 2, 4000, 0), result: 'Fax' }]);

    expect((await migrate({ clickhouse, database, logger: silent })).applied).toEqual(
      readMigrations()
        .filter((migration) => migration.version >= 11)
        .map((migration) => migration.name),
    );
    const backfilled = await compare();
    expect(backfilled[0]?.length).toBeGreaterThan(8);

    // The backfills alone, run again (as a rerun after a cut-off insert would): nothing is counted twice.
    const backfills = migrationStatements(buckets?.sql ?? '', database).filter((statement) => statement.startsWith('INSERT INTO'));
    expect(backfills).toHaveLength(6);
    for (const statement of backfills) await clickhouse.command({ query: statement });
    expect(await compare()).toEqual(backfilled);

    // After the migration the views take new legs and amendments.
    await write([leg(20, 1, 3000, 90_000), leg(5, 2, 9000, 1_500_000), leg(6, 2, 0, 0, hour - 86_400_000)]);
    const after = await compare();
    expect(after).not.toEqual(backfilled);
  });
});
