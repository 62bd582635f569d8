// ClickHouse for the bench: a client, and a database dropped at clean-up.
import { type ClickHouseClient, createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { servers } from './env.js';

export function benchClickHouse(requestTimeoutMs = 300000): ClickHouseClient {
  return createClickHouseClient({
    url: servers.clickhouseUrl,
    username: servers.clickhouseUser,
    password: servers.clickhousePassword,
    requestTimeoutMs,
    application: 'callpulse-bench',
  });
}

export async function dropDatabase(clickhouse: ClickHouseClient, database: string): Promise<void> {
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(database)}` });
}

export async function queryRows<T>(clickhouse: ClickHouseClient, query: string): Promise<T[]> {
  const result = await clickhouse.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}
