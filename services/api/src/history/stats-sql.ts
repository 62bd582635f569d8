// The two SQL forms of callStats. Both give the same columns (group_key, group_start, group_label, calls, inbound,
// outbound, r<i> per result, <phase>_count and _total, and _max / _p90 when asked), and the same figures on the same
// data: the legs form reads the latest versions of the legs; the hourly form sums extension_hourly, where every
// figure was multiplied by its row's sign, so superseded versions cancel out. stats-source.ts decides which one runs.
import { legResults, tableNames } from '@callpulse/contracts';
import { escapeString, ident, Sql, sql } from '@callpulse/platform';
import { bucketConditions } from './bucket-sql.js';
import { inList, type LegFilter, latestLegClauses, notInList, rangeTable, signedLegRows } from './leg-filter.js';
import { phases, type StatsFigures, type StatsGrouping } from './stats-types.js';
import type { TimeRange } from './time-range.js';

/** The group's key, start and label over a time column (`start_time` of legs, `hour` of extension_hourly). */
function groupKey(groupBy: StatsGrouping, zone: string, time: string): { key: string; start: string; label: string } {
  switch (groupBy) {
    case 'EXTENSION':
      return { key: 'extension_id', start: '0', label: "''" };
    case 'HOUR':
      return {
        key: `toString(toUnixTimestamp(toStartOfHour(${time}, ${zone})))`,
        start: `toUnixTimestamp(toStartOfHour(${time}, ${zone}))`,
        label: "''",
      };
    case 'DAY':
      return { key: `toString(toDate(${time}, ${zone}))`, start: `toUnixTimestamp(toStartOfDay(${time}, ${zone}))`, label: "''" };
    case 'RESULT':
      return { key: 'result', start: '0', label: "''" };
    case 'DIRECTION':
      return { key: 'direction', start: '0', label: "''" };
    case 'QUEUE':
      return { key: 'queue_id', start: '0', label: 'argMax(queue_name, start_ms)' };
  }
}

/**
 * From the latest legs: any grouping, filter and time zone, maxima and exact 90th percentiles included; straight from
 * the table with the dedupe's clauses (a SELECT * subquery made ClickHouse 18.16 read every column of the range).
 */
export function statsSql(database: string, range: TimeRange, groupBy: StatsGrouping, filter: LegFilter, figures: StatsFigures): Sql {
  if (!figures.maxima && !figures.percentiles && groupBy !== 'QUEUE') return signedStatsSql(database, range, groupBy, filter, figures);
  const { key, start, label } = groupKey(groupBy, escapeString(range.timeZone), 'start_time');
  const resultColumns = figures.byResult ? legResults.map((result, i) => `countIf(result = ${escapeString(result)}) AS r${i}`) : [];
  const phaseColumns = Object.entries(phases).flatMap(([name, column]) => [
    `countIf(${column} > 0) AS ${name}_count`,
    `sum(${column}) AS ${name}_total`,
    ...(figures.maxima ? [`max(${column}) AS ${name}_max`] : []),
    // quantileExact: the value at rank floor(0.9 n) of the legs that had the phase, exact for any n (and faster than
    // the sampling quantile on large groups).
    ...(figures.percentiles ? [`if(${name}_count = 0, 0, quantileExactIf(0.9)(${column}, ${column} > 0)) AS ${name}_p90`] : []),
  ]);
  return new Sql(
    `SELECT ${key} AS group_key, any(${start}) AS group_start, ${label} AS group_label, count() AS calls, ` +
      `countIf(direction = 'Inbound') AS inbound, countIf(direction = 'Outbound') AS outbound, ` +
      `${[...resultColumns, ...phaseColumns].join(', ')} ` +
      `FROM ${rangeTable(database, filter)} ${latestLegClauses(database, range, filter).text} GROUP BY group_key ORDER BY group_key`,
  );
}

/**
 * The counts and sums alone (no maxima or percentiles, not by queue, whose label is a latest name): sign-weighted over
 * the log's rows of the range (leg-filter.ts, signedLegRows), so exact without the version dedupe, the same columns as
 * statsSql; a group whose legs all cancel out is left out, as the latest legs never show it.
 */
function signedStatsSql(database: string, range: TimeRange, groupBy: StatsGrouping, filter: LegFilter, figures: StatsFigures): Sql {
  const { key, start, label } = groupKey(groupBy, escapeString(range.timeZone), 'start_time');
  const resultColumns = figures.byResult ? legResults.map((result, i) => `sumIf(sign, result = ${escapeString(result)}) AS r${i}`) : [];
  const phaseColumns = Object.entries(phases).flatMap(([name, column]) => [
    `sumIf(sign, ${column} > 0) AS ${name}_count`,
    `sum(sign * ${column}) AS ${name}_total`,
  ]);
  return new Sql(
    `SELECT ${key} AS group_key, any(${start}) AS group_start, ${label} AS group_label, sum(sign) AS calls, ` +
      `sumIf(sign, direction = 'Inbound') AS inbound, sumIf(sign, direction = 'Outbound') AS outbound, ` +
      `${[...resultColumns, ...phaseColumns].join(', ')} ` +
      `${signedLegRows(database, range, filter).text} GROUP BY group_key HAVING calls != 0 ORDER BY group_key`,
  );
}

/**
 * From extension_hourly, for what stats-source.ts allows: grouping by extension, hour, day, result or direction, an
 * optional extension filter, a range on whole UTC hours, and (for hours and days) a zone whose hours are UTC hours.
 * The WHERE comes before the GROUP BY, so only the range's rows of the table are read; a group whose legs cancel out
 * (a leg amended out of it) is left out, as the legs form never sees it.
 */
export function hourlyStatsSql(database: string, range: TimeRange, groupBy: StatsGrouping, filter: LegFilter, figures: StatsFigures): Sql {
  const { key, start, label } = groupKey(groupBy, escapeString(range.timeZone), 'hour');
  const resultColumns = figures.byResult ? legResults.map((result, i) => `sumIf(sum_legs, result = ${escapeString(result)}) AS r${i}`) : [];
  const phaseColumns = Object.entries(phases).flatMap(([name, column]) => [
    `sum(sum_${name}_legs) AS ${name}_count`,
    `sum(sum_${column}) AS ${name}_total`,
  ]);
  const conditions = [
    sql`hour >= toDateTime(${range.fromMs / 1000})`.text,
    sql`hour < toDateTime(${range.toMs / 1000})`.text,
    inList('extension_id', filter.extensionIds)?.text,
    notInList('result', filter.excludeResults)?.text,
  ].filter((condition) => condition !== undefined);
  return new Sql(
    `SELECT ${key} AS group_key, any(${start}) AS group_start, ${label} AS group_label, sum(sum_legs) AS calls, ` +
      `sumIf(sum_legs, direction = 'Inbound') AS inbound, sumIf(sum_legs, direction = 'Outbound') AS outbound, ` +
      `${[...resultColumns, ...phaseColumns].join(', ')} ` +
      `FROM ${ident(tableNames.extensionHourly, database).text} WHERE ${conditions.join(' AND ')} ` +
      'GROUP BY group_key HAVING calls != 0 ORDER BY group_key',
  );
}

/**
 * From leg_quarter_hours (migration 0011), for what stats-source.ts allows: grouping by hour, day, result or direction,
 * with the filters bucket-source.ts lets it answer; the same columns and HAVING as the other forms.
 */
export function quarterStatsSql(database: string, range: TimeRange, groupBy: StatsGrouping, filter: LegFilter, figures: StatsFigures): Sql {
  const { key, start, label } = groupKey(groupBy, escapeString(range.timeZone), 'bucket');
  const resultColumns = figures.byResult ? legResults.map((result, i) => `sumIf(sum_legs, result = ${escapeString(result)}) AS r${i}`) : [];
  const phaseColumns = Object.entries(phases).flatMap(([name, column]) => [
    `sum(sum_${name}_legs) AS ${name}_count`,
    `sum(sum_${column}) AS ${name}_total`,
  ]);
  return new Sql(
    `SELECT ${key} AS group_key, any(${start}) AS group_start, ${label} AS group_label, sum(sum_legs) AS calls, ` +
      `sumIf(sum_legs, direction = 'Inbound') AS inbound, sumIf(sum_legs, direction = 'Outbound') AS outbound, ` +
      `${[...resultColumns, ...phaseColumns].join(', ')} ` +
      `FROM ${ident(tableNames.legQuarterHours, database).text} WHERE ${bucketConditions(range, filter, true)} ` +
      'GROUP BY group_key HAVING calls != 0 ORDER BY group_key',
  );
}
