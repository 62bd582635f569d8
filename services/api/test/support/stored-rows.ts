// Rows written straight into a test database's legs and sessions tables (made by the built reporting service's
// migrations), as reporting's writer lays them out: the record's columns, start_time in whole seconds, and a sign
// (-1 rows cancel the version they copy). Faster than the Kafka path, and exact to the millisecond of every start.
import { type CompletedLegRecord, legRecordColumns, type SessionSummaryRecord, sessionRecordColumns } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { clickhouseUrl } from '../../../../test/support/env.js';

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function row(record: CompletedLegRecord | SessionSummaryRecord, sign: 1 | -1): Record<string, string | number> {
  const columns: readonly string[] = record.kind === 'leg' ? legRecordColumns : sessionRecordColumns;
  const values: Record<string, string | number> = {};
  for (const [field, value] of Object.entries(record)) {
    const column = snake(field);
    if (columns.includes(column)) values[column] = typeof value === 'boolean' ? (value ? 1 : 0) : (value as string | number);
  }
  return { ...values, start_time: Math.floor(record.startMs / 1000), sign, inserted_at: Math.floor(Date.now() / 1000) };
}

/** Inserts the records (+1 rows) and the cancelled versions (-1 rows) into `database`. */
export async function storeRecords(
  database: string,
  records: ReadonlyArray<CompletedLegRecord | SessionSummaryRecord>,
  cancelled: ReadonlyArray<CompletedLegRecord | SessionSummaryRecord> = [],
): Promise<void> {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  try {
    for (const kind of ['leg', 'session'] as const) {
      const values = [
        ...records.filter((record) => record.kind === kind).map((record) => row(record, 1)),
        ...cancelled.filter((record) => record.kind === kind).map((record) => row(record, -1)),
      ];
      if (values.length === 0) continue;
      await clickhouse.insert({
        table: `${escapeIdentifier(database)}.${kind === 'leg' ? 'legs' : 'sessions'}`,
        values,
        format: 'JSONEachRow',
      });
    }
  } finally {
    await clickhouse.close();
  }
}
