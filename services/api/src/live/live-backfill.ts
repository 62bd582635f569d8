// What the completed calls say about given instants of the past hour, for the live points from before this API
// instance sampled them (backfill-points.ts): TWO ClickHouse queries, once when the KPI history starts. The legs
// (latest versions, no fax, redirected ring or supervisor's party) give the agents ringing, talking or in voicemail
// and the calls at each instant; the queue sessions give the calls waiting (queue entry to first answer, or to the end)
// and the longest wait.
import { nonCallResults, tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import type { QueryRunner } from '../history/clickhouse-runner.js';
import { latestLegsInRange } from '../history/leg-filter.js';
import type { TimeRange } from '../history/time-range.js';
import { latestInboundSessions } from '../history/today-stats.js';
import type { CompletedAt } from './backfill-points.js';

/** Calls longer than this that started before the hour are not looked for. */
const LONGEST_CALL_MS = 12 * 3600_000;

/**
 * Each instant in [fromColumn, toColumn) of a row, one row each (arrayJoin), as `at_ms`: index arithmetic on the evenly
 * spaced instants, no lambda (ClickHouse 18.16 loses the columns only a lambda names once a query aggregates).
 */
function instantsWithin(fromColumn: string, toColumn: string, instants: readonly number[]): string {
  const first = instants[0] ?? 0;
  const step = instants.length > 1 ? (instants[1] as number) - first : 1;
  const [f, st, n] = [sql`${first}`.text, sql`${step}`.text, sql`${instants.length}`.text];
  return (
    `greatest(0, intDiv(toInt64(${fromColumn}) - ${f} + ${st} - 1, ${st})) AS lo_i, ` +
    `least(${n}, intDiv(toInt64(${toColumn}) - ${f} + ${st} - 1, ${st})) AS hi_i, ` +
    `toUInt64(${f} + (lo_i + arrayJoin(range(toUInt64(greatest(0, hi_i - lo_i))))) * ${st}) AS at_ms`
  );
}

/** Per instant: agents talking, ringing or talking, busy (also voicemail) on a completed leg, and its distinct calls. */
export function backfillLegsSql(database: string, range: TimeRange, instants: readonly number[]): Sql {
  const first = sql`${instants[0] ?? 0}`.text;
  const legs = latestLegsInRange(database, range, { excludeResults: nonCallResults }).text;
  return new Sql(
    'SELECT at_ms, uniqExactIf(extension_id, phase = 3) AS talking, uniqExactIf(extension_id, phase >= 2) AS ringing_or_talking, ' +
      'uniqExactIf(extension_id, phase >= 1) AS busy, uniqExact(telephony_session_id) AS calls FROM (' +
      `SELECT extension_id, telephony_session_id, ${instantsWithin('start_ms', 'end_ms', instants)}, ` +
      'if(ring_start_ms > 0, ring_start_ms, start_ms) AS ring_from, ' +
      'multiIf(answer_ms > 0 AND at_ms >= answer_ms, 3, at_ms >= ring_from AND at_ms < ring_from + ring_ms, 2, ' +
      "result = 'Voicemail' AND at_ms >= ring_from + ring_ms, 1, 0) AS phase " +
      `FROM ${legs} WHERE end_ms > ${first}) GROUP BY at_ms ORDER BY at_ms`,
  );
}

/** Per instant: queue calls waiting (entered, not answered yet, not ended) and the longest wait. */
export function backfillWaitingSql(database: string, range: TimeRange, instants: readonly number[]): Sql {
  const first = sql`${instants[0] ?? 0}`.text;
  const sessions = ident(tableNames.sessions, database).text;
  return new Sql(
    'SELECT at_ms, count() AS waiting, max(at_ms - queue_enter_ms) AS longest_wait_ms FROM (SELECT queue_enter_ms, ' +
      `${instantsWithin('queue_enter_ms', 'if(first_answer_ms > 0, first_answer_ms, end_ms)', instants)} ` +
      `FROM ${sessions} WHERE ${latestInboundSessions(database, range)} AND queue_id != '' AND queue_enter_ms > 0 AND end_ms > ${first}) ` +
      'GROUP BY at_ms ORDER BY at_ms',
  );
}

export async function readCompletedAt(
  runner: QueryRunner,
  database: string,
  instants: readonly number[],
  nowMs = Date.now(),
): Promise<CompletedAt[]> {
  if (instants.length === 0) return [];
  const range: TimeRange = { fromMs: (instants[0] as number) - LONGEST_CALL_MS, toMs: nowMs + 1000, timeZone: 'UTC' };
  const [legs, waiting] = await Promise.all([
    runner.rows<Record<string, string | number>>('kpi_backfill_legs', backfillLegsSql(database, range, instants)),
    runner.rows<Record<string, string | number>>('kpi_backfill_waiting', backfillWaitingSql(database, range, instants)),
  ]);
  const byTime = new Map<number, CompletedAt>();
  const at = (atMs: number) => {
    let row = byTime.get(atMs);
    if (!row) {
      row = { atMs, talking: 0, ringingOrTalking: 0, busy: 0, calls: 0, waiting: 0, longestWaitMs: 0 };
      byTime.set(atMs, row);
    }
    return row;
  };
  for (const row of legs) {
    const found = at(Number(row.at_ms));
    found.talking = Number(row.talking);
    found.ringingOrTalking = Number(row.ringing_or_talking);
    found.busy = Number(row.busy);
    found.calls = Number(row.calls);
  }
  for (const row of waiting) {
    const found = at(Number(row.at_ms));
    found.waiting = Number(row.waiting);
    found.longestWaitMs = Number(row.longest_wait_ms);
  }
  return [...byTime.values()].sort((a, b) => a.atMs - b.atMs);
}
