// GET /export/calls.csv: every leg of a calls filter (export-params.ts: the CallFilter's fields and the order), as
// CSV (history/call-csv.ts), streamed from ClickHouse as it comes: one query, rows read only as fast as the client
// takes the CSV (Readable.from pulls the next chunk when the socket drained), so memory stays flat for a million rows.
// The key in the Authorization header only (401 without, 400 for one in the URL); a bad filter is a 400 naming it,
// before anything is sent. The query counts against the caller's ClickHouse slots like every history query (one of
// them while it streams) and has API_EXPORT_TIMEOUT_MS; a failure after the first bytes cuts the response (no
// terminating chunk), so a client never takes a partial file for a whole one.
import { Readable } from 'node:stream';
import type { DirectoryExtension } from '@callpulse/contracts';
import { readExtensions } from '@callpulse/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { DateTime } from 'luxon';
import { type ApiKey, resolveCaller } from '../auth/api-keys.js';
import { corsOrigin, type OriginPolicy } from '../auth/origins.js';
import { InputError, QueryError } from '../errors.js';
import type { ApiDeps } from '../graphql/context.js';
import { filterChecker } from '../graphql/report-resolvers.js';
import { csvHeader, ZoneClock } from '../history/call-csv.js';
import { callsExportSql } from '../history/calls-query.js';
import { QueryBudget } from '../history/clickhouse-gate.js';
import type { TimeRange } from '../history/time-range.js';
import { csvLineFromFields, csvSourceColumns, extensionIdOf, tsvFields } from '../history/tsv-csv.js';
import { exportRequest } from './export-params.js';
import { unauthorizedBody } from './graphql-route.js';

export const exportPath = '/export/calls.csv';

const statusOf: Record<string, number> = {
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  QUERY_BUDGET_EXCEEDED: 429,
  QUERY_TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
};

/** The API's error as an HTTP answer (GraphQL's error shape), or undefined for an unexpected one. */
function refusal(err: unknown): { status: number; body: unknown } | undefined {
  let code: string | undefined;
  let argument: unknown;
  if (err instanceof InputError) [code, argument] = ['BAD_USER_INPUT', err.argument];
  else if (err instanceof QueryError) code = err.code;
  else if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT')
    [code, argument] = ['BAD_USER_INPUT', err.extensions.argument];
  if (code === undefined) return undefined;
  const extensions = { code, ...(argument ? { argument } : {}) };
  return { status: statusOf[code] ?? 500, body: { errors: [{ message: (err as Error).message, extensions }] } };
}

/** calls-<first local day>-<last local day>.csv */
function fileName(range: TimeRange): string {
  const day = (ms: number) => DateTime.fromMillis(ms, { zone: range.timeZone }).toISODate() ?? 'range';
  return `calls-${day(range.fromMs)}-${day(range.toMs - 1)}.csv`;
}

export function addExportRoute(app: FastifyInstance, deps: ApiDeps, options: { keys: readonly ApiKey[]; policy: OriginPolicy }): void {
  const check = filterChecker(deps);
  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = corsOrigin(options.policy, request.headers.origin);
    if (origin === undefined) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'content-disposition');
  };
  app.options(exportPath, async (request, reply) => {
    cors(request, reply);
    reply.header('access-control-allow-methods', 'GET, OPTIONS').header('access-control-allow-headers', 'authorization');
    return reply.code(204).send();
  });
  app.get(exportPath, async (request, reply) => {
    const caller = resolveCaller(options.keys, request.headers.authorization);
    if (caller === undefined) return reply.code(401).header('www-authenticate', 'Bearer realm="callpulse"').send(unauthorizedBody);
    const abort = new AbortController();
    let chunks: AsyncGenerator<string[]> | undefined;
    let first: IteratorResult<string[]>;
    let range: TimeRange;
    try {
      const wanted = exportRequest(request.query as Record<string, string | string[]>);
      const checked = await check(wanted.filter);
      range = checked.range;
      const query = callsExportSql(
        { database: deps.config.CLICKHOUSE_DATABASE, range, filter: checked.filter, order: wanted.order },
        csvSourceColumns, // 23 of the 38 columns: what ClickHouse sorts and sends
      );
      const scope = { caller: caller.id, budget: new QueryBudget(deps.config.API_CLICKHOUSE_QUERIES_PER_REQUEST) };
      if (!deps.runner.streamed) throw new QueryError('this API instance streams no exports', 'SERVICE_UNAVAILABLE');
      chunks = deps.runner.streamed(scope, 'calls_export', query, abort.signal);
      first = await chunks.next(); // the query runs: its errors are still an HTTP status
    } catch (err) {
      await chunks?.return(undefined);
      const refused = refusal(err);
      if (!refused) throw err;
      return reply.code(refused.status).send(refused.body);
    }
    reply.raw.once('close', () => abort.abort()); // the client went away: ClickHouse's request is cancelled
    const zone = new ZoneClock(range.timeZone);
    const directory = new Map<string, DirectoryExtension | undefined>();
    const context = { zone, extension: (id: string) => directory.get(id) };
    const started = Date.now();
    let exported = 0;
    const { redis, keys, logger } = deps;
    const lines = async function* (): AsyncGenerator<string> {
      yield csvHeader();
      let next = first;
      while (!next.done) {
        const rows = next.value.map(tsvFields);
        const unseen = [...new Set(rows.map(extensionIdOf).filter((id) => !directory.has(id)))];
        if (unseen.length > 0) {
          const found = new Map((await readExtensions(redis, keys, unseen)).map((extension) => [extension.id, extension]));
          for (const id of unseen) directory.set(id, found.get(id));
        }
        // Each line straight from the row's fields (tsv-csv.ts: byte for byte the Call node's line, 3-4 times faster).
        let text = '';
        for (const row of rows) text += csvLineFromFields(row, context);
        exported += rows.length;
        yield text;
        next = await (chunks as AsyncGenerator<string[]>).next();
      }
      logger.info({ rows: exported, ms: Date.now() - started, caller: caller.id }, 'calls exported as CSV');
    };
    cors(request, reply);
    reply
      .header('content-type', 'text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="${fileName(range)}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff');
    const body = Readable.from(lines(), { highWaterMark: 2 }); // at most two chunks read ahead of the socket
    body.once('error', (err) => logger.error({ err, rows: exported }, 'the CSV export failed after it started; the response is cut'));
    body.once('close', () => void chunks?.return(undefined));
    return reply.send(body);
  });
}
