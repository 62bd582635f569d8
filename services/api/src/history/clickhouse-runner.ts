// Runs the API's read queries on ClickHouse: every query has a server-side time limit (max_execution_time) and the
// client's request timeout, its latency is measured, and a failure becomes a GraphQL error without internals.
import type { ClickHouseClient, Logger, Sql } from '@callpulse/shared';
import { clickHouseErrorCode } from '@callpulse/shared';
import { GraphQLError } from 'graphql';
import type { ApiMetrics } from '../metrics.js';

export interface QueryRunner {
  rows<T>(name: string, query: Sql): Promise<T[]>;
}

const TIMEOUT_CODES = new Set([159, 160]); // TIMEOUT_EXCEEDED, TOO_SLOW

export function createQueryRunner(options: {
  clickhouse: ClickHouseClient;
  timeoutMs: number;
  metrics: ApiMetrics;
  logger: Logger;
}): QueryRunner {
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  return {
    async rows<T>(name: string, query: Sql): Promise<T[]> {
      const stop = options.metrics.clickhouseSeconds.startTimer({ query: name });
      try {
        const result = await options.clickhouse.query({
          query: query.text,
          format: 'JSONEachRow',
          clickhouse_settings: { max_execution_time: seconds, timeout_overflow_mode: 'throw' },
        });
        const rows = await result.json<T>();
        stop({ outcome: 'ok' });
        return rows;
      } catch (err) {
        const code = clickHouseErrorCode(err);
        const timedOut = (code !== undefined && TIMEOUT_CODES.has(code)) || /timeout|timed out/i.test((err as Error).message ?? '');
        stop({ outcome: timedOut ? 'timeout' : 'error' });
        options.logger.error({ err, query: name, code }, 'ClickHouse query failed');
        if (timedOut) {
          throw new GraphQLError(`the ${name} query took longer than the limit of ${options.timeoutMs} ms; narrow the range or filters`, {
            extensions: { code: 'QUERY_TIMEOUT' },
          });
        }
        throw new GraphQLError(`the ${name} query failed: ClickHouse is unavailable or refused the query`, {
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        });
      }
    },
  };
}
