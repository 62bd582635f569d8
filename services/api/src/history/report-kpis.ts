// reportKpis(filter): the reports page's key figures for a range and for the period of equal length just before it,
// in ONE query over the legs of both periods (sign-weighted sums over the legs log: the latest versions, exactly). Every count is a count of legs that a `calls` filter names
// exactly (docs/api.md, "Reports"), so each figure drills down to the calls it counts:
//   offered   inbound legs, but not AnsweredElsewhere (a colleague answered while it rang)  direction Inbound, result
//   answered  inbound legs that connected (answerTime set)                                    direction Inbound, answered
//   missed    Missed legs (always inbound)                                                    result [Missed]
//   abandoned Missed legs the caller hung up on while they rang                               + endedBy [customer]
//   voicemail inbound legs that went to voicemail                                             direction Inbound, result [Voicemail]
//   answeredWithinServiceLevel  answered inbound legs that rang at most the service level      + maxRingMs
//   handled   legs that connected, either direction (the average handle time's legs)           answered
// Averages are computed here from the exact sums (the same on every ClickHouse version). When leg_quarter_hours can
// answer (bucket-source.ts: a range on quarter hours, no number or duration filter), the same figures come from its
// sums (ring_seconds <= S is ring_ms <= S x 1000 for whole seconds S), a month's two periods from ~200,000 rows.

import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import { bucketsAnswer } from './bucket-source.js';
import { bucketConditions } from './bucket-sql.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type LegFilter, signedLegRows } from './leg-filter.js';
import { EARLIEST_MS, isoInstant, type TimeRange } from './time-range.js';

export interface KpiFigures {
  from: string;
  to: string;
  calls: number;
  inbound: number;
  outbound: number;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  voicemail: number;
  answeredWithinServiceLevel: number;
  /** answeredWithinServiceLevel / offered; null when nothing was offered. */
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  /** Mean ring of the answered inbound legs; null when none. */
  averageSpeedOfAnswerMs: number | null;
  handled: number;
  /** Mean talk + hold of the handled legs; null when none. */
  averageHandleTimeMs: number | null;
  talkMs: number;
  holdMs: number;
}

export interface ReportKpis {
  current: KpiFigures;
  previous: KpiFigures;
}

/** The period of equal length just before the range (cut at 1970 when it would start earlier). */
export function previousPeriod(range: TimeRange): TimeRange {
  return { fromMs: Math.max(EARLIEST_MS, 2 * range.fromMs - range.toMs), toMs: range.fromMs, timeZone: range.timeZone };
}

/** Whether a row is in the range rather than the period before: on start_time alone when the range starts on a second. */
const currentPeriod = (range: TimeRange): Sql =>
  range.fromMs % 1000 === 0 ? sql`start_time >= toDateTime(${range.fromMs / 1000})` : sql`start_ms >= ${range.fromMs}`;

export function kpisSql(database: string, range: TimeRange, filter: LegFilter, serviceLevelSeconds: number): Sql {
  const both: TimeRange = { ...range, fromMs: previousPeriod(range).fromMs };
  const inbound = "direction = 'Inbound'";
  const answered = 'answer_ms > 0';
  // Sign-weighted over the log's rows (signedLegRows): exact, without the version dedupe.
  return new Sql(
    `SELECT ${currentPeriod(range).text} AS is_current, sum(sign) AS calls, sumIf(sign, ${inbound}) AS inbound, ` +
      `sumIf(sign, direction = 'Outbound') AS outbound, sumIf(sign, ${inbound} AND result != 'AnsweredElsewhere') AS offered, ` +
      `sumIf(sign, ${inbound} AND ${answered}) AS answered, sumIf(sign, result = 'Missed') AS missed, ` +
      `sumIf(sign, result = 'Missed' AND ended_by = 'customer') AS abandoned, sumIf(sign, ${inbound} AND result = 'Voicemail') AS voicemail, ` +
      `sumIf(sign, ${inbound} AND ${answered} AND ${sql`ring_ms <= ${serviceLevelSeconds * 1000}`.text}) AS within_sl, ` +
      `sumIf(sign * ring_ms, ${inbound} AND ${answered}) AS answered_ring_ms, sumIf(sign, ${answered}) AS handled, ` +
      `sumIf(sign * (talk_ms + hold_ms), ${answered}) AS handled_ms, sum(sign * talk_ms) AS total_talk_ms, ` +
      `sum(sign * hold_ms) AS total_hold_ms ${signedLegRows(database, both, filter).text} GROUP BY is_current ORDER BY is_current`,
  );
}

/** The same columns from leg_quarter_hours, for what bucket-source.ts lets it answer. */
export function quarterKpisSql(database: string, range: TimeRange, filter: LegFilter, serviceLevelSeconds: number): Sql {
  const both: TimeRange = { ...range, fromMs: previousPeriod(range).fromMs };
  const inbound = "direction = 'Inbound'";
  return new Sql(
    `SELECT ${sql`bucket >= toDateTime(${range.fromMs / 1000})`.text} AS is_current, sum(sum_legs) AS calls, ` +
      `sumIf(sum_legs, ${inbound}) AS inbound, sumIf(sum_legs, direction = 'Outbound') AS outbound, ` +
      `sumIf(sum_legs, ${inbound} AND result != 'AnsweredElsewhere') AS offered, sumIf(sum_legs, ${inbound} AND was_answered = 1) AS answered, ` +
      `sumIf(sum_legs, result = 'Missed') AS missed, sumIf(sum_legs, result = 'Missed' AND ended_by = 'customer') AS abandoned, ` +
      `sumIf(sum_legs, ${inbound} AND result = 'Voicemail') AS voicemail, ` +
      `sumIf(sum_legs, ${inbound} AND was_answered = 1 AND ${sql`ring_seconds <= ${serviceLevelSeconds}`.text}) AS within_sl, ` +
      `sumIf(sum_ring_ms, ${inbound} AND was_answered = 1) AS answered_ring_ms, sumIf(sum_legs, was_answered = 1) AS handled, ` +
      `sumIf(sum_talk_ms + sum_hold_ms, was_answered = 1) AS handled_ms, sum(sum_talk_ms) AS total_talk_ms, ` +
      `sum(sum_hold_ms) AS total_hold_ms FROM ${ident(tableNames.legQuarterHours, database).text} ` +
      `WHERE ${bucketConditions(both, filter, true)} GROUP BY is_current ORDER BY is_current`,
  );
}

type Row = Record<string, number | string>;

function figures(row: Row | undefined, period: TimeRange, serviceLevelSeconds: number): KpiFigures {
  const n = (name: string) => Number(row?.[name] ?? 0);
  const offered = n('offered');
  const answered = n('answered');
  const handled = n('handled');
  const within = n('within_sl');
  return {
    from: isoInstant(period.fromMs),
    to: isoInstant(period.toMs),
    calls: n('calls'),
    inbound: n('inbound'),
    outbound: n('outbound'),
    offered,
    answered,
    missed: n('missed'),
    abandoned: n('abandoned'),
    voicemail: n('voicemail'),
    answeredWithinServiceLevel: within,
    serviceLevel: offered === 0 ? null : within / offered,
    serviceLevelSeconds,
    averageSpeedOfAnswerMs: answered === 0 ? null : Math.round(n('answered_ring_ms') / answered),
    handled,
    averageHandleTimeMs: handled === 0 ? null : Math.round(n('handled_ms') / handled),
    talkMs: n('total_talk_ms'),
    holdMs: n('total_hold_ms'),
  };
}

export async function queryReportKpis(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
  serviceLevelSeconds: number,
  /** Whether leg_quarter_hours answers (bucket-source.ts; both periods); tests compare both forms. */
  fromBuckets = bucketsAnswer('quarters', { ...range, fromMs: previousPeriod(range).fromMs }, filter),
): Promise<ReportKpis> {
  const rows = fromBuckets
    ? await runner.rows<Row>('report_kpis_quarters', quarterKpisSql(database, range, filter, serviceLevelSeconds))
    : await runner.rows<Row>('report_kpis', kpisSql(database, range, filter, serviceLevelSeconds));
  const current = rows.find((row) => Number(row.is_current) === 1);
  const previous = rows.find((row) => Number(row.is_current) === 0);
  return {
    current: figures(current, range, serviceLevelSeconds),
    previous: figures(previous, previousPeriod(range), serviceLevelSeconds),
  };
}
