// Writes party-events records to ClickHouse, each event once: look up the keys already stored for the batch's sessions,
// insert the events that are new (a replay, a duplicate or a re-emission of a session's events inserts nothing). A
// content error halves the batch by record until the record ClickHouse refuses is alone (rejected, dead-lettered);
// any other error is thrown and the caller retries the whole call, which is safe: the look-up sees what a failed
// attempt stored. Before every insert the caller's fence may throw (this instance no longer owns the partition).
import type { PartyEventsRecord } from '@callpulse/call-model';
import { tableNames } from '@callpulse/contracts';
import { type ClickHouseClient, ident, isContentError, type Logger, list, sql } from '@callpulse/platform';
import { type EventKey, type EventRow, eventKey, partyEventRows } from './rows.js';

/** Keeps each look-up query well under ClickHouse's default max_query_size (256 KiB). */
const idsPerQuery = 2000;

export interface EventsWriteResult<S> {
  inserted: number;
  /** Records none of whose events were new. */
  skipped: S[];
  rejected: Array<{ source: S; error: string }>;
}

/** The keys of every event stored for the given telephony sessions. */
export async function fetchStoredEventKeys(
  clickhouse: ClickHouseClient,
  database: string,
  telephonySessionIds: string[],
): Promise<Set<string>> {
  const unique = [...new Set(telephonySessionIds)];
  const keys = new Set<string>();
  for (let start = 0; start < unique.length; start += idsPerQuery) {
    const ids = unique.slice(start, start + idsPerQuery);
    const query = sql`SELECT telephony_session_id, party_id, sequence, notification_uuid FROM ${ident(tableNames.partyEvents, database)}
      WHERE telephony_session_id IN (${list(ids)})`;
    const result = await clickhouse.query({ query: query.text, format: 'JSONEachRow' });
    for (const row of await result.json<EventKey>()) keys.add(eventKey(row));
  }
  return keys;
}

interface Unit<S> {
  source: S;
  rows: EventRow[];
}

/** Per record, its events not stored yet and not in an earlier record of the batch. Pure. */
export function newEventRows<S>(
  items: ReadonlyArray<{ record: PartyEventsRecord; source: S }>,
  stored: ReadonlySet<string>,
  insertedAtSeconds: number,
): { units: Unit<S>[]; skipped: S[] } {
  const seen = new Set(stored);
  const units: Unit<S>[] = [];
  const skipped: S[] = [];
  for (const { record, source } of items) {
    const rows = partyEventRows(record, insertedAtSeconds).filter((row) => {
      const key = eventKey(row);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (rows.length > 0) units.push({ source, rows });
    else skipped.push(source);
  }
  return { units, skipped };
}

export class PartyEventsWriter {
  constructor(
    private readonly clickhouse: ClickHouseClient,
    private readonly database: string,
    private readonly logger: Logger,
    private readonly onInsert?: (table: string, rows: number, seconds: number) => void,
  ) {}

  async write<S>(items: Array<{ record: PartyEventsRecord; source: S }>, fence: () => void): Promise<EventsWriteResult<S>> {
    const result: EventsWriteResult<S> = { inserted: 0, skipped: [], rejected: [] };
    if (items.length === 0) return result;
    const stored = await fetchStoredEventKeys(
      this.clickhouse,
      this.database,
      items.map((item) => item.record.telephonySessionId),
    );
    const { units, skipped } = newEventRows(items, stored, Math.floor(Date.now() / 1000));
    result.skipped.push(...skipped);
    result.inserted = await this.insertUnits(units, result.rejected, fence);
    return result;
  }

  private async insertUnits<S>(units: Unit<S>[], rejected: EventsWriteResult<S>['rejected'], fence: () => void): Promise<number> {
    if (units.length === 0) return 0;
    fence();
    const rows = units.flatMap((unit) => unit.rows);
    const started = performance.now();
    try {
      await this.clickhouse.insert({ table: ident(tableNames.partyEvents, this.database).text, values: rows, format: 'JSONEachRow' });
      this.onInsert?.(tableNames.partyEvents, rows.length, (performance.now() - started) / 1000);
      return rows.length;
    } catch (err) {
      if (!isContentError(err)) throw err;
      if (units.length === 1) {
        const unit = units[0] as Unit<S>;
        this.logger.warn({ err, rows: unit.rows.length }, 'ClickHouse refused a party-events record; dead-lettering it');
        rejected.push({ source: unit.source, error: `ClickHouse refused the party-events rows: ${(err as Error).message}` });
        return 0;
      }
      const middle = Math.ceil(units.length / 2);
      return (
        (await this.insertUnits(units.slice(0, middle), rejected, fence)) + (await this.insertUnits(units.slice(middle), rejected, fence))
      );
    }
  }
}
