// The WHERE clause over legs_latest for the history queries. Every value goes through the shared escaping
// (`sql`, `list`), so no text from a request reaches ClickHouse as SQL.
import { ident, list, Sql, sql, tableNames } from '@callpulse/shared';
import type { TimeRange } from './time-range.js';

export interface LegFilter {
  extensionIds?: readonly string[] | null;
  direction?: string | null;
  results?: readonly string[] | null;
  queueIds?: readonly string[] | null;
  /** Part of the caller's or the callee's number. */
  phoneNumber?: string | null;
  minRingMs?: number | null;
  minTalkMs?: number | null;
  minHoldMs?: number | null;
}

export function inList(column: string, values: readonly string[] | null | undefined): Sql | undefined {
  if (values == null) return undefined;
  if (values.length === 0) return new Sql('0'); // an empty list matches nothing
  return new Sql(`${column} IN (${list(values).text})`);
}

/** Conditions joined with AND; the range bounds start_time (the partition key) and start_ms (exact). */
export function legConditions(range: TimeRange, filter: LegFilter = {}): Sql {
  const fromSeconds = Math.floor(range.fromMs / 1000);
  const toSeconds = Math.ceil(range.toMs / 1000);
  const parts: Array<Sql | undefined> = [
    sql`start_time >= toDateTime(${fromSeconds})`,
    sql`start_time <= toDateTime(${toSeconds})`,
    sql`start_ms >= ${range.fromMs}`,
    sql`start_ms < ${range.toMs}`,
    inList('extension_id', filter.extensionIds),
    filter.direction == null ? undefined : sql`direction = ${filter.direction}`,
    inList('result', filter.results),
    inList('queue_id', filter.queueIds),
    filter.phoneNumber == null || filter.phoneNumber === ''
      ? undefined
      : sql`(position(from_number, ${filter.phoneNumber}) > 0 OR position(to_number, ${filter.phoneNumber}) > 0)`,
    filter.minRingMs == null ? undefined : sql`ring_ms >= ${filter.minRingMs}`,
    filter.minTalkMs == null ? undefined : sql`talk_ms >= ${filter.minTalkMs}`,
    filter.minHoldMs == null ? undefined : sql`hold_ms >= ${filter.minHoldMs}`,
  ];
  return new Sql(
    parts
      .filter((part): part is Sql => part !== undefined)
      .map((part) => part.text)
      .join(' AND '),
  );
}

/**
 * The WHERE of the latest versions of the legs that started in the range and match the filter: the +1 rows matching
 * the conditions whose version has no -1 row, the superseded versions looked up among the -1 rows matching the same
 * conditions. Exact, because a -1 row is a copy of the +1 row it cancels and so matches the same conditions; and cheap,
 * because both sides read only the range's partitions and only the rows the filter keeps. ClickHouse 18.16 does not
 * push a WHERE into a view, so querying legs_latest would read every leg of every month.
 */
export function latestLegConditions(database: string, range: TimeRange, filter: LegFilter = {}): Sql {
  const legs = ident(tableNames.legs, database).text;
  const conditions = legConditions(range, filter).text;
  return new Sql(
    `sign = 1 AND ${conditions} AND (telephony_session_id, party_id, version) NOT IN ` +
      `(SELECT telephony_session_id, party_id, version FROM ${legs} WHERE sign = -1 AND ${conditions})`,
  );
}

/** The latest version of every leg that started in the range and matches the filter, as a subquery: what legs_latest holds. */
export function latestLegsInRange(database: string, range: TimeRange, filter: LegFilter = {}): Sql {
  return new Sql(`(SELECT * FROM ${ident(tableNames.legs, database).text} WHERE ${latestLegConditions(database, range, filter).text})`);
}
