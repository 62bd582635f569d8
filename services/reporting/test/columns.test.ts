// The migrations create exactly the tables and columns of the contract (packages/contracts/src/clickhouse/tables.ts),
// which the writer fills and the API reads: every migration applied in order to a database of this test's own, and
// system.columns compared with the list, name, type and order.
import { tableColumns } from '@callpulse/contracts';
import { createClickHouseClient, escapeString } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { migrate } from '../src/migrations/migrate.js';
import { silent } from './support/harness.js';

const database = uniqueName('columns');
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
afterAll(async () => {
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await clickhouse.close();
});

describe('the migrations', () => {
  it('create the tables of the contract with exactly its columns', async () => {
    await migrate({ clickhouse, database, logger: silent });
    const result = await clickhouse.query({
      query: `SELECT table, name, type FROM system.columns WHERE database = ${escapeString(database)}`,
      format: 'JSONEachRow',
    });
    const created = new Map<string, Record<string, string>>();
    for (const { table, name, type } of await result.json<{ table: string; name: string; type: string }>()) {
      const columns = created.get(table) ?? {};
      columns[name] = type;
      created.set(table, columns);
    }
    for (const [table, columns] of Object.entries(tableColumns)) {
      // toEqual ignores key order: the order is compared on its own.
      expect(created.get(table), table).toEqual(columns);
      expect(Object.keys(created.get(table) ?? {}), table).toEqual(Object.keys(columns));
    }
  });
});
