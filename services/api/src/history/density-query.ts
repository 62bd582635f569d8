// hourlyDensity(from, to, timeZone): legs per hour of the day (0-23 in the caller's zone) by direction, and the
// missed and voicemail ones; every hour is present, empty ones with zeros.
import { escapeString, Sql } from '@callpulse/platform';
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

export async function queryHourlyDensity(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  filter: LegFilter,
): Promise<HourDensity[]> {
  const rows = await runner.rows<Record<string, number | string>>('hourly_density', densitySql(database, range, filter));
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
