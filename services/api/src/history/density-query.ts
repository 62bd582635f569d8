// hourlyDensity(from, to, timeZone): legs per hour of the day (0-23 in the caller's zone) by direction, and the
// missed and voicemail ones; every hour is present, empty ones with zeros.
import { tableNames } from '@callpulse/contracts';
import { escapeString, ident, Sql } from '@callpulse/platform';
import { bucketsAnswer } from './bucket-source.js';
import { bucketConditions } from './bucket-sql.js';
import type { QueryRunner } from './clickhouse-runner.js';
import { type LegFilter, signedLegRows } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

export interface HourDensity {
  hour: number;
  calls: number;
  inbound: number;
  outbound: number;
  missed: number;
  voicemail: number;
}

export function densitySql(database: string, range: TimeRange, filter: LegFilter): Sql {
  // Sign-weighted over the log's rows (leg-filter.ts, signedLegRows): exact, without the version dedupe.
  return new Sql(
    `SELECT toHour(start_time, ${escapeString(range.timeZone)}) AS hour, sum(sign) AS calls, sumIf(sign, direction = 'Inbound') AS inbound, ` +
      `sumIf(sign, direction = 'Outbound') AS outbound, sumIf(sign, result = 'Missed') AS missed, sumIf(sign, result = 'Voicemail') AS voicemail ` +
      `${signedLegRows(database, range, filter).text} GROUP BY hour ORDER BY hour`,
  );
}

/** The same from leg_quarter_hours (a quarter hour's local hour is its legs' hour in a zone of quarter-hour offsets). */
export function quarterDensitySql(database: string, range: TimeRange, filter: LegFilter): Sql {
  return new Sql(
    `SELECT toHour(bucket, ${escapeString(range.timeZone)}) AS hour, sum(sum_legs) AS calls, sumIf(sum_legs, direction = 'Inbound') AS inbound, ` +
      `sumIf(sum_legs, direction = 'Outbound') AS outbound, sumIf(sum_legs, result = 'Missed') AS missed, sumIf(sum_legs, result = 'Voicemail') AS voicemail ` +
      `FROM ${ident(tableNames.legQuarterHours, database).text} WHERE ${bucketConditions(range, filter, true)} GROUP BY hour ORDER BY hour`,
  );
}

export async function queryHourlyDensity(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
  /** Whether leg_quarter_hours answers (bucket-source.ts); tests compare both forms. */
  fromBuckets = bucketsAnswer('quarters', range, filter),
): Promise<HourDensity[]> {
  const rows = fromBuckets
    ? await runner.rows<Record<string, number | string>>('hourly_density_quarters', quarterDensitySql(database, range, filter))
    : await runner.rows<Record<string, number | string>>('hourly_density', densitySql(database, range, filter));
  const byHour = new Map(rows.map((row) => [Number(row.hour), row]));
  return Array.from({ length: 24 }, (_, hour) => {
    const row = byHour.get(hour);
    return {
      hour,
      calls: Number(row?.calls ?? 0),
      inbound: Number(row?.inbound ?? 0),
      outbound: Number(row?.outbound ?? 0),
      missed: Number(row?.missed ?? 0),
      voicemail: Number(row?.voicemail ?? 0),
    };
  });
}
