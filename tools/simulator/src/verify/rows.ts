// Reads the pipeline's result for the truth's sessions from ClickHouse (legs_latest, sessions_latest, and every stored
// version of amended legs from the legs log), in chunks of session ids small enough for ClickHouse's query size limit.
import { type LegRecordColumn, type SessionRecordColumn, tableNames, viewNames } from '@callpulse/contracts';
import { type ClickHouseClient, list, qualified } from '@callpulse/platform';

const CHUNK = 1000;

export interface LegRow {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  direction: string;
  result: string;
  endReason: string;
  endedBy: string;
  endedDuringHold: boolean;
  startMs: number;
  answerMs: number;
  endMs: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  durationMs: number;
  version: number;
  /** The whole completed-leg record, when the row was read from the completed-calls topic. */
  record?: Record<string, unknown>;
}

export interface SessionRow {
  telephonySessionId: string;
  direction: string;
  startMs: number;
  endMs: number;
  queueId: string;
  queueEnterMs: number;
  firstAnswerMs: number;
  waitMs: number;
  answeredByExtensionId: string;
  abandoned: boolean;
  legCount: number;
  version: number;
}

const legColumns = {
  telephonySessionId: 'telephony_session_id',
  partyId: 'party_id',
  extensionId: 'extension_id',
  direction: 'direction',
  result: 'result',
  endReason: 'end_reason',
  endedBy: 'ended_by',
  endedDuringHold: 'ended_during_hold',
  startMs: 'start_ms',
  answerMs: 'answer_ms',
  endMs: 'end_ms',
  ringMs: 'ring_ms',
  talkMs: 'talk_ms',
  holdMs: 'hold_ms',
  holdCount: 'hold_count',
  durationMs: 'duration_ms',
  version: 'version',
} as const satisfies Record<Exclude<keyof LegRow, 'record'>, LegRecordColumn>;

const sessionColumns = {
  telephonySessionId: 'telephony_session_id',
  direction: 'direction',
  startMs: 'start_ms',
  endMs: 'end_ms',
  queueId: 'queue_id',
  queueEnterMs: 'queue_enter_ms',
  firstAnswerMs: 'first_answer_ms',
  waitMs: 'wait_ms',
  answeredByExtensionId: 'answered_by_extension_id',
  abandoned: 'abandoned',
  legCount: 'leg_count',
  version: 'version',
} as const satisfies Record<keyof SessionRow, SessionRecordColumn>;

const booleans = new Set(['endedDuringHold', 'abandoned']);
const strings = new Set([
  'telephonySessionId',
  'partyId',
  'extensionId',
  'direction',
  'result',
  'endReason',
  'endedBy',
  'queueId',
  'answeredByExtensionId',
]);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function select(clickhouse: ClickHouseClient, query: string): Promise<Array<Record<string, unknown>>> {
  const result = await clickhouse.query({ query, format: 'JSONEachRow' });
  return (await result.json()) as Array<Record<string, unknown>>;
}

async function readRows<T>(
  clickhouse: ClickHouseClient,
  database: string,
  view: (typeof viewNames)[keyof typeof viewNames] | (typeof tableNames)[keyof typeof tableNames],
  columns: Record<string, string>,
  sessionIds: readonly string[],
  condition = '',
): Promise<T[]> {
  const selectList = Object.entries(columns)
    .map(([field, column]) => `${column} AS ${field}`)
    .join(', ');
  const rows: T[] = [];
  for (const part of chunks(sessionIds)) {
    const where = `telephony_session_id IN (${list(part).text})${condition}`;
    for (const raw of await select(clickhouse, `SELECT ${selectList} FROM ${qualified(database, view)} WHERE ${where}`)) {
      const row: Record<string, unknown> = {};
      for (const field of Object.keys(columns)) {
        const value = raw[field];
        row[field] = strings.has(field) ? String(value) : booleans.has(field) ? Number(value) === 1 : Number(value);
      }
      rows.push(row as T);
    }
  }
  return rows;
}

export const readLegRows = (clickhouse: ClickHouseClient, database: string, sessionIds: readonly string[]) =>
  readRows<LegRow>(clickhouse, database, viewNames.legsLatest, legColumns, sessionIds);

/**
 * The +1 rows of the legs log for the sessions: every version each leg was written with, as long as a merge has not
 * collapsed a superseded version with its -1 row yet.
 */
export const readStoredLegVersions = (clickhouse: ClickHouseClient, database: string, sessionIds: readonly string[]) =>
  readRows<LegRow>(clickhouse, database, tableNames.legs, legColumns, sessionIds, ' AND sign = 1');

export const readSessionRows = (clickhouse: ClickHouseClient, database: string, sessionIds: readonly string[]) =>
  readRows<SessionRow>(clickhouse, database, viewNames.sessionsLatest, sessionColumns, sessionIds);

/** Rows and the sum of their versions in both views for the sessions: changes whenever a record lands or is amended. */
export async function countRows(clickhouse: ClickHouseClient, database: string, sessionIds: readonly string[]) {
  const counts = { legs: 0, legVersions: 0, sessions: 0, sessionVersions: 0 };
  for (const part of chunks(sessionIds)) {
    const where = `telephony_session_id IN (${list(part).text})`;
    const [legs] = await select(
      clickhouse,
      `SELECT count() AS n, sum(version) AS v FROM ${qualified(database, viewNames.legsLatest)} WHERE ${where}`,
    );
    const [sessions] = await select(
      clickhouse,
      `SELECT count() AS n, sum(version) AS v FROM ${qualified(database, viewNames.sessionsLatest)} WHERE ${where}`,
    );
    counts.legs += Number(legs?.n ?? 0);
    counts.legVersions += Number(legs?.v ?? 0);
    counts.sessions += Number(sessions?.n ?? 0);
    counts.sessionVersions += Number(sessions?.v ?? 0);
  }
  return counts;
}
