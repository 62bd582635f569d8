// Runs the API's read queries on ClickHouse: every query counts against its request's budget and waits for a slot of
// the gate (clickhouse-gate.ts), has a server-side time limit (max_execution_time) and the client's request timeout,
// and its latency is measured; a failure becomes a QueryError without internals. A query longer than ClickHouse's
// default max_query_size (256 KiB, e.g. 10,000 extension ids) raises that setting for itself.
import type { ClickHouseClient, Logger, Sql } from '@callpulse/platform';
import { clickHouseErrorCode } from '@callpulse/platform';
import { InputError, QueryError } from '../errors.js';
import type { ApiMetrics } from '../metrics.js';
import type { ClickHouseGate, QueryBudget } from './clickhouse-gate.js';

export interface QueryRunner {
  rows<T>(name: string, query: Sql): Promise<T[]>;
}

/** One GraphQL request's share: whose queries they are (per-key limits) and the request's budget. */
export interface QueryScope {
  caller: string;
  budget: QueryBudget;
}

export interface QueryService {
  /** A runner counting against the scope's budget and its caller's slots. */
  scoped(scope: QueryScope): QueryRunner;
  /**
   * One long query whose rows are read as they come (the CSV export): counted against the scope's budget, it holds
   * one of its caller's slots until the rows are read or the reader stops, has the export's time limit (and client),
   * and gives its rows chunk by chunk as TabSeparated lines (tsv.ts; a third of JSONEachRow's bytes and parsing
   * time), pulling the next chunk only when asked (the HTTP socket's pace reaches ClickHouse).
   */
  streamed?(scope: QueryScope, name: string, query: Sql, signal: AbortSignal): AsyncGenerator<string[]>;
}

/** The client and time limit of streamed queries (a longer one than the GraphQL queries'). */
export interface StreamOptions {
  clickhouse: ClickHouseClient;
  timeoutMs: number;
}

const TIMEOUT_CODES = new Set([159, 160]); // TIMEOUT_EXCEEDED, TOO_SLOW
/** ClickHouse's default max_query_size. */
export const DEFAULT_MAX_QUERY_SIZE = 262144;

/** Settings of one query: the time limit, and a larger max_query_size when its text needs it. */
export function querySettings(text: string, seconds: number): Record<string, number | string> {
  const bytes = Buffer.byteLength(text);
  return {
    max_execution_time: seconds,
    timeout_overflow_mode: 'throw',
    ...(bytes + 1024 > DEFAULT_MAX_QUERY_SIZE ? { max_query_size: bytes + 1024 } : {}),
  };
}

/** A failed query as the API's error (a client's, or a QueryError without internals), counted and logged. */
function queryFailure(err: unknown, name: string, timeoutMs: number, logger: Logger, stop: (labels: { outcome: string }) => void): Error {
  const code = clickHouseErrorCode(err);
  const message = (err as Error).message ?? '';
  const timedOut = (code !== undefined && TIMEOUT_CODES.has(code)) || /timeout|timed out/i.test(message);
  stop({ outcome: timedOut ? 'timeout' : 'error' });
  if (/Cannot load time zone|Unknown time zone|Invalid time zone/i.test(message)) {
    return new InputError('ClickHouse does not know this time zone: use another IANA name for the same zone', 'timeZone');
  }
  logger.error({ err, query: name, code }, 'ClickHouse query failed');
  if (timedOut) {
    return new QueryError(`the ${name} query took longer than the limit of ${timeoutMs} ms; narrow the range or filters`, 'QUERY_TIMEOUT');
  }
  return new QueryError(`the ${name} query failed: ClickHouse is unavailable or refused the query`, 'SERVICE_UNAVAILABLE');
}

export function createQueryService(options: {
  clickhouse: ClickHouseClient;
  timeoutMs: number;
  gate: ClickHouseGate;
  metrics: ApiMetrics;
  logger: Logger;
  /** Streamed queries (the CSV export); without it the service has no `streamed`. */
  stream?: StreamOptions;
}): QueryService {
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  const run = async <T>(name: string, query: Sql): Promise<T[]> => {
    const stop = options.metrics.clickhouseSeconds.startTimer({ query: name });
    try {
      const result = await options.clickhouse.query({
        query: query.text,
        format: 'JSONEachRow',
        clickhouse_settings: querySettings(query.text, seconds),
      });
      const rows = await result.json<T>();
      stop({ outcome: 'ok' });
      return rows;
    } catch (err) {
      throw queryFailure(err, name, options.timeoutMs, options.logger, stop);
    }
  };
  const stream = options.stream;
  async function* streamed(scope: QueryScope, name: string, query: Sql, signal: AbortSignal): AsyncGenerator<string[]> {
    if (!stream) throw new Error('this query service streams no queries');
    scope.budget.take(name);
    const release = await options.gate.acquire(scope.caller);
    const timer = options.metrics.clickhouseSeconds.startTimer({ query: name });
    let stopped = false;
    const stop = (labels: { outcome: string }) => {
      if (!stopped) timer(labels);
      stopped = true;
    };
    const streamSeconds = Math.max(1, Math.ceil(stream.timeoutMs / 1000));
    try {
      let result: Awaited<ReturnType<ClickHouseClient['query']>>;
      try {
        result = await stream.clickhouse.query({
          query: query.text,
          format: 'TabSeparated',
          abort_signal: signal,
          // A long sort spills to disk beyond 512 MB instead of taking ClickHouse's memory.
          clickhouse_settings: { ...querySettings(query.text, streamSeconds), max_bytes_before_external_sort: String(512 * 1024 * 1024) },
        });
      } catch (err) {
        throw queryFailure(err, name, stream.timeoutMs, options.logger, stop);
      }
      try {
        for await (const rows of result.stream()) yield rows.map((row) => row.text);
        stop({ outcome: 'ok' });
      } catch (err) {
        if (signal.aborted) stop({ outcome: 'aborted' });
        else throw queryFailure(err, name, stream.timeoutMs, options.logger, stop);
      } finally {
        result.close();
      }
    } finally {
      stop({ outcome: 'aborted' }); // the reader stopped early (the client went away)
      release();
    }
  }
  return {
    ...(stream ? { streamed } : {}),
    scoped: (scope) => ({
      async rows<T>(name: string, query: Sql): Promise<T[]> {
        scope.budget.take(name);
        const release = await options.gate.acquire(scope.caller);
        try {
          return await run<T>(name, query);
        } finally {
          release();
        }
      },
    }),
  };
}
