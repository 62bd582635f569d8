// Today's figures at each minute of the past hour in a time zone, for the KPI strip's sparklines: ONE ClickHouse query
// counts the inbound calls (session summaries, latest versions, read as todayStats reads them) that ended in each
// minute of the hour, those that ended earlier in one row; the points are the running sums (kpi-points.ts).
import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import type { QueryRunner } from '../history/clickhouse-runner.js';
import type { TimeRange } from '../history/time-range.js';
import { latestInboundSessions, localMidnight } from '../history/today-stats.js';
import { type EndedMinute, HISTORY_WINDOW_MS, stepsUpTo, TODAY_STEP_MS, type TodayPoint, todayPointsOf } from './kpi-points.js';

/** How long after a minute ends its point is read: the calls that ended in it reach ClickHouse by then. */
export const TODAY_LAG_MS = 10_000;

/**
 * Inbound sessions started in the range (latest versions), by minute of their end (ending before `firstMinute`: in
 * the minute before it) and by whether they started since `latestMidnightMs`.
 */
export function todayHistorySql(
  database: string,
  range: TimeRange,
  latestMidnightMs: number,
  firstMinute: number,
  serviceLevelSeconds: number,
): Sql {
  const sessions = ident(tableNames.sessions, database).text;
  return new Sql(
    `SELECT greatest(intDiv(if(end_ms > 0, end_ms, start_ms), 60000), ${sql`${firstMinute - 1}`.text}) AS minute, ` +
      `${sql`start_ms >= ${latestMidnightMs}`.text} AS is_today, count() AS n_offered, ` +
      `countIf(first_answer_ms > 0) AS n_answered, countIf(first_answer_ms = 0 AND abandoned = 1) AS n_abandoned, ` +
      `countIf(first_answer_ms > 0 AND wait_ms <= ${sql`${serviceLevelSeconds * 1000}`.text}) AS within_sl, ` +
      `sumIf(wait_ms, first_answer_ms > 0) AS answered_wait_ms ` +
      `FROM ${sessions} WHERE ${latestInboundSessions(database, range)} GROUP BY minute, is_today ORDER BY minute, is_today`,
  );
}

/** Today's figures at each whole minute of the hour up to `nowMs - TODAY_LAG_MS`, in the zone. */
export async function readTodayHistory(
  runner: QueryRunner,
  database: string,
  timeZone: string,
  serviceLevelSeconds: number,
  nowMs = Date.now(),
): Promise<TodayPoint[]> {
  const instants = stepsUpTo(nowMs - TODAY_LAG_MS, TODAY_STEP_MS, HISTORY_WINDOW_MS);
  const first = instants[0] ?? nowMs;
  const last = instants[instants.length - 1] ?? nowMs;
  // From the local midnight of the hour's first instant (yesterday's when the hour crosses midnight).
  const range: TimeRange = { fromMs: localMidnight(first, timeZone), toMs: nowMs + 1000, timeZone };
  const latestMidnight = localMidnight(last, timeZone);
  const rows = await runner.rows<Record<string, string | number>>(
    'today_history',
    todayHistorySql(database, range, latestMidnight, Math.floor(first / 60_000), serviceLevelSeconds),
  );
  const counts: EndedMinute[] = rows.map((row) => ({
    minute: Number(row.minute),
    today: Number(row.is_today) === 1,
    offered: Number(row.n_offered),
    answered: Number(row.n_answered),
    abandoned: Number(row.n_abandoned),
    withinServiceLevel: Number(row.within_sl),
    answeredWaitMs: Number(row.answered_wait_ms),
  }));
  return todayPointsOf(counts, instants, latestMidnight);
}
