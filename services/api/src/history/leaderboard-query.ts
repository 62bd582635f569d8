// agentLeaderboard(filter, orderBy, first): per agent (extension) over the report's legs: calls, inbound, outbound,
// answered (connected), missed, voicemail, talk, hold and the average handle time (talk + hold of the answered legs
// over them), sorted on the server by any of them (ties by extension id) and cut to `first`, in one query. An agent's
// row drills down to `calls` with the filter plus extensionIds [id] (answered: answered true; missed: result [Missed]).
// A range with whole UTC days inside reads those days from extension_days (migration 0011: a row per day and agent)
// and only its partial days at both ends from the legs, when bucket-source.ts says the table answers the filter.
import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import { bucketsAnswer, leavesOutNonCalls, wholeUtcDays } from './bucket-source.js';
import { bucketRange } from './bucket-sql.js';
import type { SortDirection } from './calls-query.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { inList, type LegFilter, signedLegRows, signedLegRowsByStartRanges } from './leg-filter.js';
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

/** The legs' columns the leaderboard's sums read. */
const leaderboardColumns = ['extension_id', 'sign', 'direction', 'answer_ms', 'result', 'talk_ms', 'hold_ms'];

export function leaderboardSql(
  database: string,
  range: TimeRange,
  filter: LegFilter,
  order: AgentOrder,
  first: number,
  /** Business hours' start ranges one per part (leg-filter.ts signedLegRowsByStartRanges) where they apply; tests compare both. */
  byStartRange = true,
): Sql {
  const column = agentOrderFields[order.field];
  const direction = order.direction === 'ASC' ? 'ASC' : 'DESC';
  const rows =
    (byStartRange ? signedLegRowsByStartRanges(database, range, filter, leaderboardColumns) : undefined) ??
    signedLegRows(database, range, filter);
  // Sign-weighted over the log's rows (signedLegRows): exact without the version dedupe; an agent whose legs all
  // cancel out (amended to another extension) is left out, as the latest versions never show them.
  return new Sql(
    `SELECT extension_id, sum(sign) AS calls, sumIf(sign, direction = 'Inbound') AS inbound, sumIf(sign, direction = 'Outbound') AS outbound, ` +
      `sumIf(sign, answer_ms > 0) AS answered, sumIf(sign, result = 'Missed') AS missed, sumIf(sign, result = 'Voicemail') AS voicemail, ` +
      `sumIf(sign * (talk_ms + hold_ms), answer_ms > 0) AS handled_ms, sum(sign * talk_ms) AS total_talk_ms, sum(sign * hold_ms) AS total_hold_ms, ` +
      // The exact ratio as a sort key: the same integers divide to the same double on every engine.
      `if(answered = 0, 0, handled_ms / answered) AS aht_ms ` +
      `${rows.text} GROUP BY extension_id HAVING calls != 0 ` +
      `ORDER BY ${column} ${direction}, extension_id ASC LIMIT ${sql`${first}`.text}`,
  );
}

/** The figures' sums over rows of the legs log (sign-weighted) or of extension_days, under the same names. */
const legSums =
  "extension_id, toInt64(sign) AS legs_, toInt64(direction = 'Inbound') * sign AS inbound_, toInt64(direction = 'Outbound') * sign AS outbound_, " +
  "toInt64(answer_ms > 0) * sign AS answered_, toInt64(result = 'Missed') * sign AS missed_, toInt64(result = 'Voicemail') * sign AS voicemail_, " +
  'if(answer_ms > 0, toInt64(talk_ms + hold_ms), 0) * sign AS handled_, toInt64(talk_ms) * sign AS talk_, toInt64(hold_ms) * sign AS hold_';
const daySums =
  'extension_id, sum_legs AS legs_, sum_inbound AS inbound_, sum_outbound AS outbound_, sum_answered AS answered_, sum_missed AS missed_, ' +
  'sum_voicemail AS voicemail_, sum_handled_ms AS handled_, sum_talk_ms AS talk_, sum_hold_ms AS hold_';

/**
 * The same rows from extension_days for the range's whole UTC days, plus the legs of its partial days (before the
 * first and after the last whole day), for what bucket-source.ts lets the table answer ('days').
 */
export function dayLeaderboardSql(database: string, range: TimeRange, filter: LegFilter, order: AgentOrder, first: number): Sql {
  const days = wholeUtcDays(range) ?? { fromMs: range.fromMs, toMs: range.fromMs };
  const column = agentOrderFields[order.field];
  const direction = order.direction === 'ASC' ? 'ASC' : 'DESC';
  const conditions = [
    bucketRange(days.fromMs, days.toMs, 'day'),
    inList('extension_id', filter.extensionIds)?.text,
    leavesOutNonCalls(filter.excludeResults) ? 'non_call = 0' : undefined,
  ].filter((condition) => condition !== undefined);
  const edges = [
    { ...range, toMs: days.fromMs },
    { ...range, fromMs: days.toMs },
  ].filter((edge) => edge.fromMs < edge.toMs);
  const parts = [
    `SELECT ${daySums} FROM ${ident(tableNames.extensionDays, database).text} WHERE ${conditions.join(' AND ')}`,
    ...edges.map((edge) => `SELECT ${legSums} ${signedLegRows(database, edge, filter).text}`),
  ];
  return new Sql(
    'SELECT extension_id, sum(legs_) AS calls, sum(inbound_) AS inbound, sum(outbound_) AS outbound, sum(answered_) AS answered, ' +
      'sum(missed_) AS missed, sum(voicemail_) AS voicemail, sum(handled_) AS handled_ms, sum(talk_) AS total_talk_ms, sum(hold_) AS total_hold_ms, ' +
      `if(answered = 0, 0, handled_ms / answered) AS aht_ms FROM (${parts.join(' UNION ALL ')}) ` +
      `GROUP BY extension_id HAVING calls != 0 ORDER BY ${column} ${direction}, extension_id ASC LIMIT ${sql`${first}`.text}`,
  );
}

export async function queryLeaderboard(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
  order: AgentOrder,
  first: number,
  /** Whether extension_days answers (bucket-source.ts); tests compare both forms. */
  fromBuckets = bucketsAnswer('days', range, filter),
): Promise<AgentFigures[]> {
  const rows = fromBuckets
    ? await runner.rows<Record<string, number | string>>('agent_leaderboard_days', dayLeaderboardSql(database, range, filter, order, first))
    : await runner.rows<Record<string, number | string>>('agent_leaderboard', leaderboardSql(database, range, filter, order, first));
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
