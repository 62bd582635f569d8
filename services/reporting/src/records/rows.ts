// Records as rows of the legs and sessions tables (the columns of packages/contracts/src/clickhouse/tables.ts:
// snake_case of the fields, booleans as 0/1, start_time in seconds), and the key that identifies a leg or a session.
import { type CompletedLegRecord, legRecordColumns, type SessionSummaryRecord, sessionRecordColumns } from '@callpulse/contracts';

export type Sign = 1 | -1;

/** A row's values without its sign; what the writer reads back from ClickHouse and copies into a -1 row. */
export type RowValues = Record<string, string | number>;
export type Row = RowValues & { sign: Sign; start_time: number; inserted_at: number };

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The column values of a record: each listed column from the camelCase field of the same name. */
export function recordValues(record: CompletedLegRecord | SessionSummaryRecord): RowValues {
  const columns: readonly string[] = record.kind === 'leg' ? legRecordColumns : sessionRecordColumns;
  const values: RowValues = {};
  for (const [field, value] of Object.entries(record)) {
    const column = snake(field);
    if (!columns.includes(column)) continue;
    values[column] = typeof value === 'boolean' ? (value ? 1 : 0) : (value as string | number);
  }
  return values;
}

/** A full row: values, the sign, start_time derived from start_ms, and the load time. */
export function toRow(values: RowValues, sign: Sign, insertedAtSeconds: number): Row {
  return { ...values, start_time: Math.floor(Number(values.start_ms) / 1000), sign, inserted_at: insertedAtSeconds };
}

/** A leg is (telephonySessionId, partyId), a session its telephonySessionId; as one string for maps. */
export function recordKey(record: CompletedLegRecord | SessionSummaryRecord): string {
  return JSON.stringify(record.kind === 'leg' ? [record.telephonySessionId, record.partyId] : [record.telephonySessionId]);
}

export function rowKey(kind: 'leg' | 'session', values: RowValues): string {
  return JSON.stringify(kind === 'leg' ? [values.telephony_session_id, values.party_id] : [values.telephony_session_id]);
}
