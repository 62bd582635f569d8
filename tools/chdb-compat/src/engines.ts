// The two ClickHouse engines compared: the local stack's server (Debian's 18.16, over HTTP) and chdb (a current
// ClickHouse inside this process), both behind the same @clickhouse/client interface the services use, each with a
// database of the test's own. The one place besides packages/platform that creates a @clickhouse/client: platform's
// factory speaks HTTP only, and chdb plugs in through the client's `connection` option.
import { type ClickHouseClient, createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;

export interface Engine {
  /** e.g. "ClickHouse 18.16.1 (local stack)" */
  label: string;
  client: ClickHouseClient;
}

async function serverFacts(client: ClickHouseClient): Promise<{ version: string; timezone: string }> {
  const result = await client.query({ query: 'SELECT version() AS version, timezone() AS timezone', format: 'JSONEachRow' });
  const [facts] = await result.json<{ version: string; timezone: string }>();
  if (!facts) throw new Error('SELECT version() answered no row');
  return facts;
}

/** The local stack's ClickHouse, through the services' own client factory (packages/shared). */
export async function stackEngine(url: string): Promise<Engine & { timezone: string }> {
  const client = createClickHouseClient({ url, application: 'callpulse-chdb-compat' });
  const { version, timezone } = await serverFacts(client);
  return { label: `ClickHouse ${version} (local stack, ${url})`, client, timezone };
}

/**
 * chdb through @clickhouse/client's connection hook, with the settings of the services' client factory
 * (createClickHouseClient: 64-bit integers as JSON numbers) and the stack server's time zone as the session's, so
 * DateTime text is the same on both (the local stack and the Docker image run in UTC; chdb would take the process's).
 */
export async function chdbEngine(timezone: string): Promise<Engine> {
  // chdb declares its connection against @clickhouse/client-common, of which @clickhouse/client bundles its own copy:
  // the same interface declared twice.
  const connection = createChdbConnection({ path: ':memory:' }) as unknown as ClientOptions['connection'];
  const client = createClient({
    connection,
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0, session_timezone: timezone },
  });
  const { version } = await serverFacts(client);
  return { label: `ClickHouse ${version} (chdb, in-process)`, client };
}

export async function dropDatabase(engine: Engine, database: string): Promise<void> {
  await engine.client.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(database)}` });
}
