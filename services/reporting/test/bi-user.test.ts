// The stack's read-only `bi` user: a runaway query is stopped by its profile's limits with a clear error, the limits
// cannot be lifted, a fifth concurrent query is refused while reporting's user still gets through, and the example
// queries of docs/bi.md run as `bi`. Runs against the stack's ClickHouse (scripts/stack/clickhouse.mjs).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { migrate } from '../src/migrations/migrate.js';
import { RecordWriter } from '../src/writer/writer.js';
import { silent } from './support/harness.js';
import { callSet } from './support/records.js';

const biPassword = process.env.CLICKHOUSE_BI_PASSWORD ?? 'bi';
const database = uniqueName('bi');
const admin = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });

/** One query as `bi` over plain HTTP (no client settings, which a readonly=1 user may not send). */
async function asBi(query: string, params: Record<string, string> = {}): Promise<{ ok: boolean; text: string }> {
  const url = new URL(clickhouseUrl);
  for (const [name, value] of Object.entries({ user: 'bi', password: biPassword, ...params })) url.searchParams.set(name, value);
  const response = await fetch(url, { method: 'POST', body: query });
  return { ok: response.ok, text: await response.text() };
}

const setting = async (name: string) => (await asBi(`SELECT value FROM system.settings WHERE name = '${name}'`)).text.trim();

/** The SQL statements of docs/bi.md's examples, pointed at the test's database. */
function docsQueries(): string[] {
  const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/bi.md'), 'utf8');
  const blocks = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] as string);
  return blocks
    .flatMap((block) => block.split(';'))
    .map((statement) => statement.trim().replaceAll('callpulse.', `${database}.`))
    .filter((statement) => statement.length > 0);
}

beforeAll(async () => {
  await migrate({ clickhouse: admin, database, logger: silent });
  await new RecordWriter(admin, database, silent).write(callSet('bi', 10).map((record) => ({ record, source: record })));
});

afterAll(async () => {
  await admin.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(database)}` });
  await admin.close();
});

describe('the bi user', () => {
  it('runs under a profile with a time limit, a memory limit and a cap on concurrent queries', async () => {
    expect(await setting('readonly')).toBe('1');
    expect(Number(await setting('max_execution_time'))).toBeGreaterThan(0);
    expect(Number(await setting('max_memory_usage'))).toBeGreaterThan(0);
    expect(Number(await setting('max_concurrent_queries_for_user'))).toBeGreaterThan(0);
  });

  it('cannot lift its limits', async () => {
    const set = await asBi('SET max_execution_time = 0');
    expect(set.ok).toBe(false);
    expect(set.text).toMatch(/readonly/);
    const param = await asBi('SELECT 1', { max_execution_time: '0' });
    expect(param.ok).toBe(false);
    expect(param.text).toMatch(/Cannot override setting \(max_execution_time\) in readonly mode/);
  });

  it('has a runaway count stopped by the time limit', { timeout: 120000 }, async () => {
    const limit = Number(await setting('max_execution_time'));
    const viaTableFunction = await asBi('SELECT count() FROM numbers(100000000000)');
    expect(viaTableFunction.ok).toBe(false);
    expect(viaTableFunction.text).toMatch(/Code: 164.*Table functions are forbidden in readonly mode/);

    // 10^13 numbers: ClickHouse counts system.numbers at some 3.5 billion a second on our machine, so 10^11 could end
    // inside the 30 s limit on an idle machine (it did: a test that passed only when the machine was busy).
    const runaway = await asBi('SELECT count() FROM (SELECT number FROM system.numbers LIMIT 10000000000000)');
    expect(runaway.ok).toBe(false);
    // 159 TIMEOUT_EXCEEDED (or, on newer servers, the estimate of the same limit); either names the maximum.
    expect(runaway.text).toMatch(new RegExp(`Code: 159.*(Timeout exceeded|too long).*maximum: ${limit}`));
  });

  it('has a query that needs too much memory stopped by the memory limit', async () => {
    const greedy = await asBi('SELECT length(groupArray(number)) FROM (SELECT number FROM system.numbers LIMIT 10000000000)');
    expect(greedy.ok).toBe(false);
    expect(greedy.text).toMatch(/Code: 241.*Memory limit \(for (query|user)\) exceeded/);
  });

  it('refuses a query beyond the cap while reporting’s user still gets through', { timeout: 60000 }, async () => {
    const cap = Number(await setting('max_concurrent_queries_for_user'));
    const running = Array.from({ length: cap }, () => asBi('SELECT sleep(3) + sleep(3) + sleep(3)'));
    try {
      await waitFor(
        async () => {
          const result = await admin.query({ query: "SELECT count() AS n FROM system.processes WHERE user = 'bi'", format: 'JSONEachRow' });
          const [row] = await result.json<{ n: number }>();
          return Number(row?.n) >= cap;
        },
        { what: `${cap} queries of bi running` },
      );
      const refused = await asBi('SELECT 1');
      expect(refused.ok).toBe(false);
      expect(refused.text).toMatch(/Code: 202.*Too many simultaneous queries for user bi/);
      const written = await new RecordWriter(admin, database, silent).write(
        callSet('cap', 1).map((record) => ({ record, source: record })),
      );
      expect(written.inserted).toBe(3);
    } finally {
      await Promise.all(running);
    }
  });

  it('runs every example query of docs/bi.md', async () => {
    const queries = docsQueries();
    expect(queries.length).toBeGreaterThanOrEqual(7);
    for (const query of queries) {
      const result = await asBi(query);
      expect(result.text, query).not.toMatch(/^Code: /);
      expect(result.ok, query).toBe(true);
    }
    const calls = await asBi(`SELECT sum(legs) FROM ${database}.extension_hourly_stats`);
    expect(Number(calls.text)).toBeGreaterThanOrEqual(20);
  });
});
