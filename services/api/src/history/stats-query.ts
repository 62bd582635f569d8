// callStats(from, to, groupBy, timeZone): counts by result and direction and ring/talk/hold figures, grouped by
// extension, hour, day, result, direction or queue. Hours and days are the caller's (toStartOfHour / toDate with the
// zone), so half-hour zones are right. Averages and percentiles are over the legs that had that phase (e.g. talk > 0).
// Only the figures the query selects are computed; leg_quarter_hours or extension_hourly answers when it can (stats-source.ts), the
// legs otherwise, with the same figures either way.
import type { QueryRunner } from './clickhouse-runner.js';
import type { LegFilter } from './leg-filter.js';
import { type StatsRow, toGroup } from './stats-rows.js';
import { statsSource } from './stats-source.js';
import { hourlyStatsSql, quarterStatsSql, statsSql } from './stats-sql.js';
import { allFigures, type StatsFigures, type StatsGroup, type StatsGrouping } from './stats-types.js';
import type { TimeRange } from './time-range.js';

export async function queryCallStats(
  runner: QueryRunner,
  database: string,
  range: TimeRange,
  groupBy: StatsGrouping,
  filter: LegFilter,
  figures: StatsFigures = allFigures,
  source = statsSource(range, groupBy, filter, figures),
): Promise<StatsGroup[]> {
  const rows =
    source === 'quarters'
      ? await runner.rows<StatsRow>('call_stats_quarters', quarterStatsSql(database, range, groupBy, filter, figures))
      : source === 'hourly'
        ? await runner.rows<StatsRow>('call_stats_hourly', hourlyStatsSql(database, range, groupBy, filter, figures))
        : await runner.rows<StatsRow>('call_stats', statsSql(database, range, groupBy, filter, figures));
  return rows.map((row) => toGroup(row, groupBy, range.timeZone));
}
