// ClickHouse I/O of the writer: the rows already stored for a batch's keys, and the insert of new rows.

import { legRecordColumns, sessionRecordColumns, tableNames } from '@callpulse/contracts';
import type { ClickHouseClient } from '@callpulse/platform';
import { ident, list, Sql, sql } from '@callpulse/platform';
import type { Row } from '../records/rows.js';
import type { StoredRow } from './reconcile.js';

export type Kind = 'leg' | 'session';

/** Keeps each look-up query well under ClickHouse's default max_query_size (256 KiB). */
const idsPerQuery = 2000;

export const tableOf = (kind: Kind) => (kind === 'leg' ? tableNames.legs : tableNames.sessions);
const columnsOf = (kind: Kind): readonly string[] => (kind === 'leg' ? legRecordColumns : sessionRecordColumns);

/** Every stored row (with its sign) of the given telephony sessions; the caller picks the keys it needs. */
export async function fetchStoredRows(
  clickhouse: ClickHouseClient,
  database: string,
  kind: Kind,
  telephonySessionIds: string[],
): Promise<StoredRow[]> {
  const unique = [...new Set(telephonySessionIds)];
  const columns = new Sql([...columnsOf(kind), 'sign'].map((column) => ident(column).text).join(', '));
  const rows: StoredRow[] = [];
  for (let start = 0; start < unique.length; start += idsPerQuery) {
    const ids = unique.slice(start, start + idsPerQuery);
    const query = sql`SELECT ${columns} FROM ${ident(tableOf(kind), database)} WHERE telephony_session_id IN (${list(ids)})`;
    const result = await clickhouse.query({ query: query.text, format: 'JSONEachRow' });
    rows.push(...(await result.json<StoredRow>()));
  }
  return rows;
}

export async function insertRows(clickhouse: ClickHouseClient, database: string, kind: Kind, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  await clickhouse.insert({ table: `${ident(tableOf(kind), database).text}`, values: rows, format: 'JSONEachRow' });
}
