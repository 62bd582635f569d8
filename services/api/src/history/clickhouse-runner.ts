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

export function createQueryService(options: {
  clickhouse: ClickHouseClient;
  timeoutMs: number;
  gate: ClickHouseGate;
  metrics: ApiMetrics;
  logger: Logger;
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
      const code = clickHouseErrorCode(err);
      const message = (err as Error).message ?? '';
      const timedOut = (code !== undefined && TIMEOUT_CODES.has(code)) || /timeout|timed out/i.test(message);
      stop({ outcome: timedOut ? 'timeout' : 'error' });
      if (/Cannot load time zone|Unknown time zone|Invalid time zone/i.test(message)) {
        throw new InputError('ClickHouse does not know this time zone: use another IANA name for the same zone', 'timeZone');
      }
      options.logger.error({ err, query: name, code }, 'ClickHouse query failed');
      if (timedOut) {
        throw new QueryError(
          `the ${name} query took longer than the limit of ${options.timeoutMs} ms; narrow the range or filters`,
          'QUERY_TIMEOUT',
        );
      }
      throw new QueryError(`the ${name} query failed: ClickHouse is unavailable or refused the query`, 'SERVICE_UNAVAILABLE');
    }
  };
  return {
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
