// The completed-leg window's start: the legs that ended in the last `minutes`, read once from ClickHouse when this
// instance takes over the evaluation (or a rule needs a longer window than was read), the latest version of each.
import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import type { QueryRunner } from '../history/clickhouse-runner.js';
import type { WindowLeg } from './window.js';

/** Legs start before they end: a leg that ended in the window may have started this much earlier. */
const LONGEST_LEG_MS = 6 * 3600_000;
const MAX_ROWS = 2_000_000;

export function windowSeedSql(database: string, fromMs: number): Sql {
  const legs = ident(tableNames.legs, database).text;
  return new Sql(
    'SELECT telephony_session_id, party_id, extension_id, queue_id, queue_call, direction, result, ended_by, ' +
      `start_ms, ring_start_ms, answer_ms, end_ms, version FROM ${legs} ` +
      `PREWHERE ${sql`start_time >= toDateTime(${Math.floor((fromMs - LONGEST_LEG_MS) / 1000)})`.text} ` +
      `WHERE sign = 1 AND direction = 'Inbound' AND ${sql`end_ms >= ${fromMs}`.text} LIMIT ${MAX_ROWS}`,
  );
}

type Row = Record<string, string | number>;

/** The legs that ended since `fromMs` (a stamp a little ahead of this clock included), latest version each. */
export async function readWindowSeed(runner: QueryRunner, database: string, fromMs: number): Promise<WindowLeg[]> {
  const rows = await runner.rows<Row>('alert_window_seed', windowSeedSql(database, fromMs));
  const latest = new Map<string, { version: number; leg: WindowLeg }>();
  for (const row of rows) {
    const key = `${row.telephony_session_id}|${row.party_id}`;
    const version = Number(row.version);
    const seen = latest.get(key);
    if (seen && seen.version >= version) continue;
    latest.set(key, {
      version,
      leg: {
        telephonySessionId: String(row.telephony_session_id),
        partyId: String(row.party_id),
        extensionId: String(row.extension_id),
        queueId: String(row.queue_id),
        queueCall: Number(row.queue_call) === 1,
        direction: row.direction === 'Outbound' ? 'Outbound' : 'Inbound',
        result: String(row.result) as WindowLeg['result'],
        endedBy: String(row.ended_by) as WindowLeg['endedBy'],
        startMs: Number(row.start_ms),
        ringStartMs: Number(row.ring_start_ms),
        answerMs: Number(row.answer_ms),
        endMs: Number(row.end_ms),
      },
    });
  }
  return [...latest.values()].map((entry) => entry.leg);
}
