// todayStats(timeZone): the figures of "today" since local midnight in a time zone, for the live view's KPI strip and
// the agents' today counts. Inbound calls (session summaries) give offered, answered, missed, abandoned, service
// level and average speed of answer; the agents' legs give each agent's calls. Two queries; the live board reads them
// through its cache (live/today-cache.ts), never per event.
import { nonCallResults, tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import { DateTime } from 'luxon';
import type { QueryRunner } from './clickhouse-runner.js';
import { latestLegsInRange, startRangeSql } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

export interface AgentToday {
  extensionId: string;
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  talkMs: number;
}

export interface TodayFigures {
  timeZone: string;
  fromMs: number;
  updatedAtMs: number;
  /** Inbound calls that ended today. */
  offered: number;
  /** Answered by an agent. */
  answered: number;
  /** Ended without an answer, the caller not abandoning (voicemail, nobody picked up): offered = answered + missed + abandoned. */
  missed: number;
  /** The caller hung up before any agent answered. */
  abandoned: number;
  answeredWithinServiceLevel: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  averageSpeedOfAnswerMs: number;
  longestWaitMs: number;
  agents: AgentToday[];
}

/** Local midnight of `nowMs` in the zone, as epoch ms. */
export function localMidnight(nowMs: number, timeZone: string): number {
  return DateTime.fromMillis(nowMs, { zone: timeZone }).startOf('day').toMillis();
}

/** The WHERE clause of the latest versions of the inbound sessions started in the range (as queue-query.ts reads them). */
export function latestInboundSessions(database: string, range: TimeRange): string {
  const sessions = ident(tableNames.sessions, database).text;
  const where = `direction = 'Inbound' AND ${startRangeSql(range).text}`;
  return (
    `sign = 1 AND ${where} AND (telephony_session_id, version) NOT IN ` +
    `(SELECT telephony_session_id, version FROM ${sessions} WHERE sign = -1 AND ${where})`
  );
}

/** Inbound sessions of the range, latest version each. */
export function todaySessionsSql(database: string, range: TimeRange, serviceLevelSeconds: number): Sql {
  const sessions = ident(tableNames.sessions, database).text;
  const latest = latestInboundSessions(database, range);
  return new Sql(
    `SELECT count() AS n_offered, countIf(first_answer_ms > 0) AS n_answered, ` +
      `countIf(first_answer_ms = 0 AND abandoned = 1) AS n_abandoned, ` +
      `if(n_answered = 0, 0, avgIf(wait_ms, first_answer_ms > 0)) AS asa_ms, ` +
      `countIf(first_answer_ms > 0 AND wait_ms <= ${sql`${serviceLevelSeconds * 1000}`.text}) AS within_sl, ` +
      `max(if(first_answer_ms > 0, toInt64(wait_ms), 0)) AS longest_wait_ms FROM ${sessions} WHERE ${latest}`,
  );
}

/**
 * Each agent's legs of the range (latest versions, no fax, redirected ring or supervisor's party), by extension id: a
 * GROUP BY alone gives its rows in an order that differs between ClickHouse versions and runs (tools/chdb-compat).
 */
export function todayAgentsSql(database: string, range: TimeRange): Sql {
  return new Sql(
    `SELECT extension_id, count() AS calls, countIf(direction = 'Inbound') AS inbound, countIf(direction = 'Outbound') AS outbound, ` +
      `countIf(result = 'Answered') AS answered, countIf(result = 'Missed') AS missed, sum(talk_ms) AS talk_ms ` +
      `FROM ${latestLegsInRange(database, range, { excludeResults: nonCallResults }).text} GROUP BY extension_id ORDER BY extension_id`,
  );
}

export async function readToday(
  runner: QueryRunner,
  database: string,
  timeZone: string,
  serviceLevelSeconds: number,
  nowMs = Date.now(),
): Promise<TodayFigures> {
  const range: TimeRange = { fromMs: localMidnight(nowMs, timeZone), toMs: nowMs + 1000, timeZone };
  const [sessions, agents] = await Promise.all([
    runner.rows<Record<string, string | number>>('today_sessions', todaySessionsSql(database, range, serviceLevelSeconds)),
    runner.rows<Record<string, string | number>>('today_agents', todayAgentsSql(database, range)),
  ]);
  const row = sessions[0] ?? {};
  const offered = Number(row.n_offered ?? 0);
  const answered = Number(row.n_answered ?? 0);
  const abandoned = Number(row.n_abandoned ?? 0);
  const within = Number(row.within_sl ?? 0);
  return {
    timeZone,
    fromMs: range.fromMs,
    updatedAtMs: nowMs,
    offered,
    answered,
    missed: Math.max(0, offered - answered - abandoned),
    abandoned,
    answeredWithinServiceLevel: within,
    serviceLevel: offered === 0 ? null : within / offered,
    serviceLevelSeconds,
    averageSpeedOfAnswerMs: Math.round(Number(row.asa_ms ?? 0) || 0),
    longestWaitMs: Number(row.longest_wait_ms ?? 0),
    agents: agents.map((agent) => ({
      extensionId: String(agent.extension_id),
      calls: Number(agent.calls),
      inbound: Number(agent.inbound),
      outbound: Number(agent.outbound),
      answered: Number(agent.answered),
      missed: Number(agent.missed),
      talkMs: Number(agent.talk_ms),
    })),
  };
}
