// The SQL of the explorer's value windows (value-windows.ts): the guess (sort value, sign and start of the first rows
// in the page's order, numbers only), and the page chosen among the rows beyond the threshold, found by their starts:
// start_time IN (...) lets ClickHouse 18.16 read only the granules holding them (about one per leg on a month sorted by
// talk) and start_ms IN (...) is checked before the other columns are read.
import { Sql, sql } from '@callpulse/platform';
import type { ValueWindow } from './value-windows.js';

export interface WindowParts {
  /** The legs table (leg-filter.ts rangeTable). */
  legs: string;
  /** The range's conditions (leg-filter.ts legConditions without a filter): the PREWHERE. */
  range: string;
  /** The range's and the filter's conditions, and the cursor's keyset: the WHERE. */
  matching: string;
  column: string;
  direction: 'ASC' | 'DESC';
}

/**
 * The guess: the sort value, sign and start second of the first `limit` matching rows (+1 and -1 alike) in the page's
 * order; ties ordered on every column sent, so every ClickHouse release sends the same rows (tools/chdb-compat compares
 * them). No start_ms: on the bench's month it was 8 of the 21 bytes a leg the guess reads (with the range on start_time
 * alone, leg-filter.ts rangeParts: 69 -> 43 MiB, SQL median 210 -> 83 ms at load 5).
 */
export function guessSql(parts: WindowParts, bounds: readonly string[], limit: number): Sql {
  return new Sql(
    `SELECT ${parts.column} AS value, sign, toUInt32(start_time) AS start_s FROM ${parts.legs} ` +
      `PREWHERE ${[parts.range, ...bounds].join(' AND ')} WHERE ${parts.matching} ORDER BY value ${parts.direction}, start_s, sign LIMIT ${limit}`,
  );
}

/**
 * Every row of the window, +1 and -1 alike (a few hundred at most: the guess's rows beyond the threshold), `columns`
 * and sign, in the page's order; value-windows.ts latestRows keeps the latest versions. One read of the granules
 * holding them (a NOT IN in SQL read them twice). With windowKeyColumns only (numbers and the key): on the bench's
 * month, the window of the ring DESC page 2 (226 rows in 166 granules) reads in about a third of the time of every
 * column; pageRowsSql then reads every column of the page's rows alone.
 */
export function windowRowsSql(parts: WindowParts, window: ValueWindow, bounds: readonly string[], columns: readonly string[]): Sql {
  const starts = window.startS.map((s) => `toDateTime(${Math.trunc(s)})`).join(', ');
  const startMs = window.startMs.map((ms) => Math.trunc(ms));
  const at = `start_time IN (${starts})${startMs.length === 0 ? '' : ` AND start_ms IN (${startMs.join(', ')})`}`;
  const dir = parts.direction;
  return new Sql(
    `SELECT ${columns.join(', ')}, sign FROM ${parts.legs} PREWHERE ${[at, ...bounds].join(' AND ')} WHERE ${parts.matching} ` +
      `ORDER BY ${parts.column} ${dir}, telephony_session_id ${dir}, party_id ${dir}, version, sign`,
  );
}

/**
 * A window read through the threshold a cursor carries (value-windows.ts pageHints), instead of the guess and the
 * starts it names: every matching row between the cursor's value and the threshold, `columns` and sign, in the page's
 * order, at most `limit`. The value bounds alone are the PREWHERE (one number column over the range's granules, which
 * the WHERE's range on start_time still selects), the other columns are read in the granules of the rows within them
 * alone. On the bench's month (ring DESC page 2, 226-388 rows) 26 MiB and about 71 ms, the range in the PREWHERE too
 * 39 MiB and 76 ms (12 interleaved runs each, load ~1).
 */
export function hintedWindowSql(parts: WindowParts, bounds: readonly string[], columns: readonly string[], limit: number): Sql {
  const dir = parts.direction;
  return new Sql(
    `SELECT ${columns.join(', ')}, sign FROM ${parts.legs} PREWHERE ${bounds.length > 0 ? bounds.join(' AND ') : parts.range} WHERE ${parts.matching} ` +
      `ORDER BY ${parts.column} ${dir}, telephony_session_id ${dir}, party_id ${dir}, version, sign LIMIT ${limit}`,
  );
}

/** The columns of a window's rows that choose the page (pageRowsSql reads the rest for the chosen rows only). */
export const windowKeyColumns = ['toUInt32(start_time) AS start_s', 'start_ms', 'telephony_session_id', 'party_id', 'version'];

/** A chosen row of a window: its start and key. */
export interface PageKey {
  start_s: number | string;
  start_ms: number | string;
  telephony_session_id: string;
  party_id: string;
  version: number | string;
}

/** A whole number as SQL (a UInt64 comes as text in JSON); anything else is no row of ClickHouse's. */
const whole = (value: number | string): string => {
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new Error('a window row without a whole number');
  return text;
};

/**
 * Every column (`columns`) of the page's chosen rows, their +1 rows by their whole sorting key (as the plain query's
 * page reads them), in the page's order: start_time IN lets ClickHouse 18.16 read only their granules, start_ms IN is
 * checked before the other columns are read. `range` (the range's conditions) as in the plain query.
 */
export function pageRowsSql(
  parts: Pick<WindowParts, 'legs' | 'range' | 'column' | 'direction'>,
  keys: readonly PageKey[],
  columns: readonly string[],
): Sql {
  const starts = [...new Set(keys.map((key) => whole(key.start_s)))].map((s) => `toDateTime(${s})`).join(', ');
  const startMs = [...new Set(keys.map((key) => whole(key.start_ms)))].join(', ');
  const tuples = keys
    .map((key) => `(toDateTime(${whole(key.start_s)}), ${sql`${key.telephony_session_id}, ${key.party_id}`.text}, ${whole(key.version)})`)
    .join(', ');
  const dir = parts.direction;
  return new Sql(
    `SELECT ${columns.join(', ')} FROM ${parts.legs} PREWHERE start_time IN (${starts}) AND start_ms IN (${startMs}) ` +
      `WHERE sign = 1 AND ${parts.range} AND (start_time, telephony_session_id, party_id, version) IN (${tuples}) ` +
      `ORDER BY ${parts.column} ${dir}, telephony_session_id ${dir}, party_id ${dir}, version`,
  );
}
