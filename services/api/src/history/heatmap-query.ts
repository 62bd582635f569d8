// weekdayHourHeatmap(filter): the report's legs by local weekday (1 = Monday ... 7 = Sunday) and hour of the day
// (0-23) of their start in the filter's zone, all 168 cells, empty ones with zeros. A cell drills down to `calls`
// with the filter plus weekdays [d] and hours [h] (answered: answered true; missed: result [Missed]; ...).
import { tableNames } from '@callpulse/contracts';
import { escapeString, ident, Sql } from '@callpulse/platform';
import { bucketsAnswer } from './bucket-source.js';
import { bucketConditions } from './bucket-sql.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type LegFilter, signedLegRows } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

export interface HeatmapCell {
  weekday: number;
  hour: number;
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  voicemail: number;
}

export function heatmapSql(database: string, range: TimeRange, filter: LegFilter): Sql {
  const zone = escapeString(range.timeZone);
  // Sign-weighted over the log's rows (signedLegRows): exact, without the version dedupe.
  return new Sql(
    `SELECT toDayOfWeek(toDate(start_time, ${zone})) AS weekday, toHour(start_time, ${zone}) AS hour, sum(sign) AS calls, ` +
      `sumIf(sign, direction = 'Inbound') AS inbound, sumIf(sign, direction = 'Outbound') AS outbound, sumIf(sign, answer_ms > 0) AS answered, ` +
      `sumIf(sign, result = 'Missed') AS missed, sumIf(sign, result = 'Voicemail') AS voicemail ` +
      `${signedLegRows(database, range, filter).text} GROUP BY weekday, hour ORDER BY weekday, hour`,
  );
}

/** The same from leg_quarter_hours, for what bucket-source.ts lets it answer. */
export function quarterHeatmapSql(database: string, range: TimeRange, filter: LegFilter): Sql {
  const zone = escapeString(range.timeZone);
  return new Sql(
    `SELECT toDayOfWeek(toDate(bucket, ${zone})) AS weekday, toHour(bucket, ${zone}) AS hour, sum(sum_legs) AS calls, ` +
      `sumIf(sum_legs, direction = 'Inbound') AS inbound, sumIf(sum_legs, direction = 'Outbound') AS outbound, sumIf(sum_legs, was_answered = 1) AS answered, ` +
      `sumIf(sum_legs, result = 'Missed') AS missed, sumIf(sum_legs, result = 'Voicemail') AS voicemail ` +
      `FROM ${ident(tableNames.legQuarterHours, database).text} WHERE ${bucketConditions(range, filter, true)} GROUP BY weekday, hour ORDER BY weekday, hour`,
  );
}

export async function queryHeatmap(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
  /** Whether leg_quarter_hours answers (bucket-source.ts); tests compare both forms. */
  fromBuckets = bucketsAnswer('quarters', range, filter),
): Promise<HeatmapCell[]> {
  const rows = fromBuckets
    ? await runner.rows<Record<string, number | string>>('weekday_hour_heatmap_quarters', quarterHeatmapSql(database, range, filter))
    : await runner.rows<Record<string, number | string>>('weekday_hour_heatmap', heatmapSql(database, range, filter));
  const cells = new Map(rows.map((row) => [`${Number(row.weekday)}:${Number(row.hour)}`, row]));
  return Array.from({ length: 7 * 24 }, (_, i) => {
    const weekday = Math.floor(i / 24) + 1;
    const hour = i % 24;
    const row = cells.get(`${weekday}:${hour}`);
    const n = (name: string) => Number(row?.[name] ?? 0);
    return {
      weekday,
      hour,
      calls: n('calls'),
      inbound: n('inbound'),
      outbound: n('outbound'),
      answered: n('answered'),
      missed: n('missed'),
      voicemail: n('voicemail'),
    };
  });
}
