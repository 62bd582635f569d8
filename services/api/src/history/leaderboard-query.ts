// agentLeaderboard(filter, orderBy, first): per agent (extension) over the report's legs: calls, inbound, outbound,
// answered (connected), missed, voicemail, talk, hold and the average handle time (talk + hold of the answered legs
// over them), sorted on the server by any of them (ties by extension id) and cut to `first`, in one query. An agent's
// row drills down to `calls` with the filter plus extensionIds [id] (answered: answered true; missed: result [Missed]).
import { Sql, sql } from '@callpulse/platform';
import type { SortDirection } from './calls-query.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type LegFilter, signedLegRows } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

/** The figures an agent row can be sorted by, with their column. */
export const agentOrderFields = {
  CALLS: 'calls',
  INBOUND: 'inbound',
  OUTBOUND: 'outbound',
  ANSWERED: 'answered',
  MISSED: 'missed',
  VOICEMAIL: 'voicemail',
  TALK: 'total_talk_ms',
  HOLD: 'total_hold_ms',
  AVERAGE_HANDLE_TIME: 'aht_ms',
} as const;
export type AgentOrderField = keyof typeof agentOrderFields;

export interface AgentOrder {
  field: AgentOrderField;
  direction: SortDirection;
}

export interface AgentFigures {
  extensionId: string;
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  voicemail: number;
  talkMs: number;
  holdMs: number;
  /** (talk + hold of the answered legs) / answered; null when none was answered. */
  averageHandleTimeMs: number | null;
}

export function leaderboardSql(database: string, range: TimeRange, filter: LegFilter, order: AgentOrder, first: number): Sql {
  const column = agentOrderFields[order.field];
  const direction = order.direction === 'ASC' ? 'ASC' : 'DESC';
  // Sign-weighted over the log's rows (signedLegRows): exact without the version dedupe; an agent whose legs all
  // cancel out (amended to another extension) is left out, as the latest versions never show them.
  return new Sql(
    `SELECT extension_id, sum(sign) AS calls, sumIf(sign, direction = 'Inbound') AS inbound, sumIf(sign, direction = 'Outbound') AS outbound, ` +
      `sumIf(sign, answer_ms > 0) AS answered, sumIf(sign, result = 'Missed') AS missed, sumIf(sign, result = 'Voicemail') AS voicemail, ` +
      `sumIf(sign * (talk_ms + hold_ms), answer_ms > 0) AS handled_ms, sum(sign * talk_ms) AS total_talk_ms, sum(sign * hold_ms) AS total_hold_ms, ` +
      // The exact ratio as a sort key: the same integers divide to the same double on every engine.
      `if(answered = 0, 0, handled_ms / answered) AS aht_ms ` +
      `${signedLegRows(database, range, filter).text} GROUP BY extension_id HAVING calls != 0 ` +
      `ORDER BY ${column} ${direction}, extension_id ASC LIMIT ${sql`${first}`.text}`,
  );
}

export async function queryLeaderboard(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
  order: AgentOrder,
  first: number,
): Promise<AgentFigures[]> {
  const rows = await runner.rows<Record<string, number | string>>(
    'agent_leaderboard',
    leaderboardSql(database, range, filter, order, first),
  );
  return rows.map((row) => {
    const answered = Number(row.answered);
    return {
      extensionId: String(row.extension_id),
      calls: Number(row.calls),
      inbound: Number(row.inbound),
      outbound: Number(row.outbound),
      answered,
      missed: Number(row.missed),
      voicemail: Number(row.voicemail),
      talkMs: Number(row.total_talk_ms),
      holdMs: Number(row.total_hold_ms),
      averageHandleTimeMs: answered === 0 ? null : Math.round(Number(row.handled_ms) / answered),
    };
  });
}
