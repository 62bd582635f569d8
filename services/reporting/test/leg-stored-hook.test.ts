// The writer's onLegsStored hook (the metric callpulse_reporting_leg_stored_delay_seconds): it names the end times of
// the legs whose FIRST version an insert stored, once; amendments, replays and sessions name nothing.
import { createClickHouseClient } from '@callpulse/platform';
import { legRecord, sessionRecord } from '@callpulse/testkit/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { migrate } from '../src/migrations/migrate.js';
import { RecordWriter } from '../src/writer/writer.js';
import { silent } from './support/harness.js';

describe('RecordWriter onLegsStored', () => {
  const database = uniqueName('leg_stored_hook');
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  const stored: number[][] = [];
  const writer = new RecordWriter(clickhouse, database, silent, { onLegsStored: (endMs) => stored.push(endMs) });
  const hour = Date.UTC(2024, 4, 14, 9);
  const leg = (i: number, version: number) =>
    legRecord({
      telephonySessionId: `s-hook-${i}`,
      partyId: `p-hook-${i}`,
      startMs: hour + i * 1000,
      endMs: hour + i * 1000 + 60_000,
      version,
    });

  beforeAll(async () => {
    await migrate({ clickhouse, database, logger: silent });
  });
  afterAll(async () => {
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  });

  it('names each first version once, not its amendment or replay', async () => {
    const write = async (records: Array<ReturnType<typeof leg>>) =>
      writer.write(records.map((record) => ({ record, source: record.partyId })));
    await write([leg(1, 1), leg(2, 1)]);
    expect(stored.flat().sort()).toEqual([hour + 61_000, hour + 62_000]);
    stored.length = 0;
    await write([leg(1, 2)]); // an amendment: -1 of version 1, +1 of version 2
    await write([leg(2, 1)]); // a replay: nothing inserted
    expect(stored.flat()).toEqual([]);
    await writer.write([{ record: sessionRecord({ telephonySessionId: 's-hook-3' }), source: 's' }]);
    expect(stored.flat()).toEqual([]);
  });
});
