// Keeps every committed transition in ClickHouse (alert_transitions, migration 0009): one cursor over the outbox
// (redisKeys().alertClickHouseCursor), batches of entries inserted, the cursor moved after the insert. Exact under
// repeats: before inserting, the batch's ids already stored are looked up and left out, so a sink that died between
// its insert and its cursor write (or two sinks during a lease overlap) inserts nothing twice; the table's
// ReplacingMergeTree key (id) would merge such a copy away anyway. A new deployment's cursor starts at the outbox's
// beginning (everything it still holds). After a batch that was not full the next waits `gapMs`: ClickHouse 18.16
// writes every insert as a new part of two files per column whatever its rows (some 15 ms of its CPU for one
// transition), so transitions that come close together (a burst of alerts) share one insert; the first of a quiet
// spell is copied at once, and a backlog (full batches) without pauses.
import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisKeys, tableNames } from '@callpulse/contracts';
import { type ClickHouseClient, ident, type Logger, list, type Redis, sql } from '@callpulse/platform';
import { type BackoffPolicy, retryDelayMs } from './backoff.js';
import { transitionRow } from './rows.js';
import { readOutboxAfter } from './state.js';

export interface ClickHouseSinkDeps {
  redis: Redis;
  keys: RedisKeys;
  clickhouse: ClickHouseClient;
  database: string;
  logger: Logger;
  backoff: BackoffPolicy;
  waitForEntries: (maxMs: number, signal: AbortSignal) => Promise<void>;
  isHolder: () => boolean;
  onInserted?: (rows: number) => void;
  /** Tests: runs between the insert and the cursor write (a crash there is what the look-up guards against). */
  afterInsert?: () => Promise<void>;
  /** Entries per batch (default 500). */
  batchSize?: number;
  /** How long the sink waits after copying a batch before it reads the next (default DEFAULT_GAP_MS). */
  gapMs?: number;
}

/** Transitions in ClickHouse are for reports: a second or two behind the outbox costs nobody anything. */
export const DEFAULT_GAP_MS = 2000;

/** KEYS: the cursor. ARGV: the cursor expected ('' = none yet), the new one. 1 when written. */
const moveCursorLua = `
local current = redis.call('get', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2])
return 1
`;

export class ClickHouseSink {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly deps: ClickHouseSinkDeps) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private get batchSize(): number {
    return this.deps.batchSize ?? 500;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted || !this.deps.isHolder();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      if (!this.deps.isHolder()) {
        // Not holding the lease at this moment (a renewal late): wait, do not end the sink for good.
        await this.deps.waitForEntries(200, this.stopping.signal);
        continue;
      }
      try {
        const copied = await this.step();
        if (failures > 0) this.deps.logger.info('alert transitions reach ClickHouse again');
        failures = 0;
        if (copied === 0) await this.deps.waitForEntries(1000, this.stopping.signal);
        // A full batch: a backlog (ClickHouse was away), copied without a pause.
        else if (copied < this.batchSize) await this.pause(this.deps.gapMs ?? DEFAULT_GAP_MS);
      } catch (err) {
        failures++;
        const retryInMs = retryDelayMs(failures, { baseMs: this.deps.backoff.baseMs, capMs: Math.min(this.deps.backoff.capMs, 30_000) });
        if (failures === 1 || failures % 10 === 0)
          this.deps.logger.warn(
            { err: { message: (err as Error).message }, failures, retryInMs },
            'copying alert transitions to ClickHouse failed; retrying',
          );
        await this.pause(retryInMs);
      }
    }
  }

  /** Waits ms, or less when the sink stops (the timer's abort listener goes with it: no listener per pause is left). */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  /** Copies one batch after the cursor; the number of outbox entries it went past (0: nothing new). */
  async step(): Promise<number> {
    const { redis, keys, clickhouse, database } = this.deps;
    const stored = await redis.get(keys.alertClickHouseCursor);
    const cursor = stored ?? '0-0';
    const entries = await readOutboxAfter(redis, keys.alertOutbox, cursor, this.batchSize);
    const last = entries.at(-1);
    if (!last) return 0;
    const readable = entries.filter((entry) => entry.transition !== null);
    if (readable.length < entries.length)
      this.deps.logger.warn({ skipped: entries.length - readable.length }, 'alert outbox entries that do not read: not stored');
    if (readable.length > 0) {
      const table = ident(tableNames.alertTransitions, database);
      const ids = [...new Set(readable.map((entry) => entry.transition?.id ?? ''))];
      const result = await clickhouse.query({ query: sql`SELECT id FROM ${table} WHERE id IN (${list(ids)})`.text, format: 'JSONEachRow' });
      const present = new Set((await result.json<{ id: string }>()).map((row) => row.id));
      const insertedAt = Math.floor(Date.now() / 1000);
      const rows = [];
      for (const entry of readable) {
        const transition = entry.transition;
        if (!transition || present.has(transition.id)) continue;
        present.add(transition.id); // the same id twice in one batch (not expected): once
        rows.push(transitionRow(transition, entry.id, insertedAt));
      }
      if (rows.length > 0) {
        await clickhouse.insert({ table: table.text, values: rows, format: 'JSONEachRow' });
        this.deps.onInserted?.(rows.length);
      }
      await this.deps.afterInsert?.();
    }
    if (this.stopped) return 0;
    const moved = Number(await redis.eval(moveCursorLua, 1, keys.alertClickHouseCursor, stored ?? '', last.id));
    if (moved !== 1) this.deps.logger.warn('the alert ClickHouse cursor was moved by another instance; reading it again');
    return entries.length;
  }
}
