// queueStats(from, to, timeZone): per queue, from the latest version of each session: offered, answered, abandoned, average speed of
// answer, service level (answered within API_SERVICE_LEVEL_SECONDS of entering the queue, over offered) and the
// longest wait (of an answered call until the answer, of an abandoned call until the caller left).
import { ident, list, Sql, sql } from '@callpulse/platform';
import { type BusinessHoursFilter, businessHoursCondition } from './business-hours-sql.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { startRangeSql } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

export interface QueueStats {
  queueId: string;
  queueName: string | null;
  offered: number;
  answered: number;
  abandoned: number;
  averageSpeedOfAnswerMs: number;
  answeredWithinServiceLevel: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  longestWaitMs: number;
}

/** The sessions rows with a queue, ordered by start (migration 0010). */
const queueSessionsByStart = 'queue_sessions_by_start';

export function queueStatsSql(
  database: string,
  range: TimeRange,
  serviceLevelSeconds: number,
  queueIds?: readonly string[] | null,
  businessHours?: BusinessHoursFilter | null,
): Sql {
  const enter = 'if(queue_enter_ms > 0, queue_enter_ms, start_ms)';
  const abandonWait = `if(abandoned = 1 AND end_ms > ${enter}, end_ms - ${enter}, 0)`;
  const conditions = ["queue_id != ''", startRangeSql(range).text];
  if (queueIds != null) conditions.push(queueIds.length === 0 ? '0' : `queue_id IN (${list(queueIds).text})`);
  const inHours = businessHoursCondition(businessHours); // by the session's start, as the legs by theirs
  if (inHours) conditions.push(inHours.text);
  // The latest version of each session of the range, read from the queued sessions' log ordered by start
  // (queue_sessions_by_start, migration 0010: the range's granules alone) with the conditions on both sides of the
  // superseded-version lookup (a -1 row is a copy of the +1 row it cancels, so it matches the same conditions).
  // ClickHouse 18.16 does not push a WHERE into the sessions_latest view, which would read every session.
  const sessions = ident(queueSessionsByStart, database).text;
  const where = conditions.join(' AND ');
  const latest =
    `sign = 1 AND ${where} AND (telephony_session_id, version) NOT IN ` +
    `(SELECT telephony_session_id, version FROM ${sessions} WHERE sign = -1 AND ${where})`;
  return new Sql(
    `SELECT queue_id, argMax(queue_name, start_ms) AS q_name, count() AS n_offered, countIf(first_answer_ms > 0) AS n_answered, ` +
      `countIf(abandoned = 1) AS n_abandoned, if(n_answered = 0, 0, avgIf(wait_ms, first_answer_ms > 0)) AS asa_ms, ` +
      `countIf(first_answer_ms > 0 AND wait_ms <= ${sql`${serviceLevelSeconds * 1000}`.text}) AS within_sl, ` +
      `max(if(first_answer_ms > 0, toInt64(wait_ms), ${abandonWait})) AS longest_wait_ms ` +
      `FROM ${sessions} WHERE ${latest} GROUP BY queue_id ORDER BY queue_id`,
  );
}

export async function queryQueueStats(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  serviceLevelSeconds: number,
  queueIds?: readonly string[] | null,
  businessHours?: BusinessHoursFilter | null,
): Promise<QueueStats[]> {
  const rows = await runner.rows<Record<string, string | number>>(
    'queue_stats',
    queueStatsSql(database, range, serviceLevelSeconds, queueIds, businessHours),
  );
  return rows.map((row) => {
    const offered = Number(row.n_offered);
    const within = Number(row.within_sl);
    return {
      queueId: String(row.queue_id),
      queueName: String(row.q_name ?? '') || null,
      offered,
      answered: Number(row.n_answered),
      abandoned: Number(row.n_abandoned),
      averageSpeedOfAnswerMs: Math.round(Number(row.asa_ms) || 0),
      answeredWithinServiceLevel: within,
      serviceLevel: offered === 0 ? null : within / offered,
      serviceLevelSeconds,
      longestWaitMs: Number(row.longest_wait_ms),
    };
  });
}
