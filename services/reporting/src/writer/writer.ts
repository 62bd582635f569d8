// Writes decoded records to ClickHouse exactly once per version: look up what is stored for the batch's keys,
// reconcile, insert. A content error splits the batch in halves until the record ClickHouse refuses is alone; that
// one is returned as rejected and the rest lands. Any other error is thrown: the caller retries the whole call,
// which is safe because the look-up sees whatever a failed attempt managed to store. Before every insert the caller's
// fence may throw (this instance no longer owns the records' partition): nothing more is written for them. A
// session's party events go to their own writer (events/writer.ts): each event once.
import { PARTY_EVENTS_KIND, type PartyEventsRecord } from '@callpulse/call-model';
import type { CompletedRecord } from '@callpulse/contracts';
import type { ClickHouseClient, Logger } from '@callpulse/platform';
import { isContentError } from '@callpulse/platform';
import { PartyEventsWriter } from '../events/writer.js';
import type { ReportedRecord } from '../records/decode.js';
import { type Row, recordKey, recordValues, toRow } from '../records/rows.js';
import { type Conflict, type Incoming, type Plan, reconcile, type Unit } from './reconcile.js';
import { fetchStoredRows, insertRows, type Kind, tableOf } from './store.js';

export interface WriteResult<S> {
  inserted: number;
  skipped: S[];
  rejected: Array<{ source: S; error: string }>;
}

export interface WriterHooks {
  onInsert?: (table: string, rows: number, seconds: number) => void;
  /** After an insert into legs: the end times (end_ms) of the legs whose first version it stored. */
  onLegsStored?: (endMs: number[]) => void;
  onRepair?: (kind: Kind, keys: string[]) => void;
  onConflict?: (kind: Kind, conflicts: Conflict[]) => void;
}

/** Called right before each insert; throws to stop the write (see Fenced in consumer/flusher.ts). */
export type Fence = () => void;

/** end_ms of the +1 rows of version 1 (a leg's first record; amendments come later by design). */
function firstVersionEnds(rows: Row[]): number[] {
  return rows.filter((row) => row.sign === 1 && Number(row.version) === 1).map((row) => Number(row.end_ms));
}

const isEvents = <S>(item: { record: ReportedRecord; source: S }): item is { record: PartyEventsRecord; source: S } =>
  item.record.kind === PARTY_EVENTS_KIND;

export class RecordWriter {
  private readonly events: PartyEventsWriter;

  constructor(
    private readonly clickhouse: ClickHouseClient,
    private readonly database: string,
    private readonly logger: Logger,
    private readonly hooks: WriterHooks = {},
  ) {
    this.events = new PartyEventsWriter(clickhouse, database, logger, hooks.onInsert);
  }

  /**
   * The batch's party events, legs and sessions are written at the same time (different tables and keys; the inserts
   * into legs and its views take the longest, and a record's way into ClickHouse was the sum of the three). All three
   * settle before this returns or throws, so a retry's look-up never runs beside an insert of the failed attempt.
   */
  async write<S>(items: Array<{ record: ReportedRecord; source: S }>, fence: Fence = () => {}): Promise<WriteResult<S>> {
    const parts = await Promise.allSettled([
      this.events.write(items.filter(isEvents), fence),
      this.writeKind('leg', items, fence),
      this.writeKind('session', items, fence),
    ]);
    const result: WriteResult<S> = { inserted: 0, skipped: [], rejected: [] };
    for (const part of parts) {
      if (part.status === 'rejected') throw part.reason;
      result.inserted += part.value.inserted;
      result.skipped.push(...part.value.skipped);
      result.rejected.push(...part.value.rejected);
    }
    return result;
  }

  private async writeKind<S>(kind: Kind, items: Array<{ record: ReportedRecord; source: S }>, fence: Fence): Promise<WriteResult<S>> {
    const result: WriteResult<S> = { inserted: 0, skipped: [], rejected: [] };
    const ofKind = items.filter((item): item is { record: CompletedRecord; source: S } => item.record.kind === kind);
    if (ofKind.length === 0) return result;
    const stored = await fetchStoredRows(
      this.clickhouse,
      this.database,
      kind,
      ofKind.map((item) => item.record.telephonySessionId),
    );
    const incoming: Incoming<S>[] = ofKind.map(({ record, source }) => ({
      key: recordKey(record),
      version: record.version,
      values: recordValues(record),
      source,
    }));
    const plan = reconcile(kind, incoming, stored);
    this.report(kind, plan);
    result.skipped.push(...plan.skipped);
    result.inserted += await this.insertUnits(kind, plan.units, result.rejected, fence);
    return result;
  }

  private report(kind: Kind, plan: Plan<unknown>): void {
    if (plan.repaired.length > 0) {
      this.logger.warn({ kind, keys: plan.repaired.slice(0, 20), count: plan.repaired.length }, 'repairing inconsistent stored rows');
      this.hooks.onRepair?.(kind, plan.repaired);
    }
    if (plan.conflicts.length > 0) {
      // Keys and column names only: the values may be personal data.
      this.logger.warn(
        { kind, conflicts: plan.conflicts.slice(0, 20), count: plan.conflicts.length },
        'a version came again with other content; the stored content is kept',
      );
      this.hooks.onConflict?.(kind, plan.conflicts);
    }
  }

  /** Inserts the units; on a content error, halves and retries each half, down to the single refused unit. */
  private async insertUnits<S>(kind: Kind, units: Unit<S>[], rejected: WriteResult<S>['rejected'], fence: Fence): Promise<number> {
    if (units.length === 0) return 0;
    fence();
    const now = Math.floor(Date.now() / 1000);
    const rows = units.flatMap((unit) => unit.rows.map(({ values, sign }) => toRow(values, sign, now)));
    const started = performance.now();
    try {
      await insertRows(this.clickhouse, this.database, kind, rows);
      this.hooks.onInsert?.(tableOf(kind), rows.length, (performance.now() - started) / 1000);
      if (kind === 'leg' && this.hooks.onLegsStored) this.hooks.onLegsStored(firstVersionEnds(rows));
      return rows.length;
    } catch (err) {
      if (!isContentError(err)) throw err;
      if (units.length === 1) {
        const unit = units[0] as Unit<S>;
        const error = `ClickHouse refused the ${kind} row: ${(err as Error).message}`;
        this.logger.warn({ kind, key: unit.key, err }, 'ClickHouse refused a record; dead-lettering it');
        if (unit.source !== undefined) rejected.push({ source: unit.source, error });
        return 0;
      }
      const middle = Math.ceil(units.length / 2);
      return (
        (await this.insertUnits(kind, units.slice(0, middle), rejected, fence)) +
        (await this.insertUnits(kind, units.slice(middle), rejected, fence))
      );
    }
  }
}
