// Part 4, reporting: the reporting queries on 10,000,000 legs over 90 days and 10,000 extensions (1,000,000 with
// --quick), median of 10 runs each. Through the API's GraphQL when it is built, else the equivalent SQL on the views.
import { type Figure, figure, type PartResult } from '../report/result.js';
import { apiQueries } from '../reporting/api-queries.js';
import { ensureDataset } from '../reporting/dataset.js';
import { viewQueries } from '../reporting/queries.js';
import { apiAvailable, graphqlRequest } from '../support/api.js';
import { benchClickHouse, queryRows } from '../support/clickhouse.js';
import type { BenchContext } from '../support/context.js';
import { isolate } from '../support/isolation.js';
import { startService } from '../support/services.js';
import { median, round } from '../support/stats.js';

const RUNS = 10;

interface Timing {
  median: number | null;
  /** How the runs went, for the notes: rows, min and max, or the error that stopped them. */
  summary: string;
}

/** One warm-up, then RUNS timed runs; a failing query gives no figure and its error in the summary (the part goes on). */
async function timeRuns(run: () => Promise<number>): Promise<Timing> {
  const times: number[] = [];
  let rows = 0;
  try {
    await run(); // warm-up, not counted
    for (let index = 0; index < RUNS; index += 1) {
      const started = performance.now();
      rows = await run();
      times.push(performance.now() - started);
    }
  } catch (err) {
    return { median: null, summary: `FAILED after ${times.length} timed runs: ${(err as Error).message.slice(0, 300)}` };
  }
  return {
    median: median(times),
    summary: `${rows} rows, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
  };
}

export async function runReporting(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const legs = context.quick ? 1000000 : 10000000;
  const clickhouse = benchClickHouse(600000);
  context.cleanup.add('close ClickHouse', () => clickhouse.close());
  const dataset = await ensureDataset(clickhouse, legs, context.log);
  context.log(dataset.reused ? `reusing ${dataset.database}` : `loaded ${dataset.database} in ${dataset.loadSeconds.toFixed(0)} s`);

  const part = 'reporting';
  const figures: Figure[] = [];
  const notes = [
    `dataset ${dataset.database}: ${dataset.legs} legs and ${dataset.sessions} sessions over 90 days (2025-08-03 to 2025-11-01 UTC), 10,000 extensions, 50 queues; ${dataset.reused ? 'reused from an earlier run' : `loaded in ${dataset.loadSeconds.toFixed(0)} s`} (kept for the next run; drop it with DROP DATABASE)`,
    `median of ${RUNS} runs after one warm-up run, wall time of the HTTP round trip including reading the JSON rows`,
  ];
  if (await apiAvailable()) {
    const isolation = isolate(context, 'reporting');
    const api = await startService(context, 'api', { ...isolation, database: dataset.database });
    notes.push(
      `through the API service's GraphQL (POST ${api.url}/graphql), one request at a time; then the SQL on the views for comparison`,
    );
    for (const query of apiQueries) {
      const timing = await timeRuns(async () => query.count(await graphqlRequest<Record<string, unknown>>(api.url, query.query)));
      context.log(`API ${query.name}: median ${timing.median?.toFixed(0)} ms`);
      figures.push(figure(part, `API ${query.name} (median)`, round(timing.median, 0), 'ms', { goal: { op: '<=', value: 500 } }));
      notes.push(`API ${query.name}: ${timing.summary}`);
    }
  } else {
    notes.push(
      'the API service is not built: timed the equivalent SQL on the views it reads (extension_hourly_stats, queue_stats, legs_latest)',
    );
  }
  const viewGoal = figures.length === 0;
  for (const query of viewQueries(dataset.database)) {
    const timing = await timeRuns(async () => (await queryRows(clickhouse, query.sql)).length);
    context.log(`${query.name}: median ${timing.median?.toFixed(0)} ms`);
    figures.push(
      figure(
        part,
        `SQL ${query.name} (median)`,
        round(timing.median, 0),
        'ms',
        query.diagnostic || !viewGoal ? {} : { goal: { op: '<=', value: 500 } },
      ),
    );
    notes.push(`SQL ${query.name}: ${timing.summary}`);
  }
  const [size] = await queryRows<{ rows: number; bytes: number }>(
    clickhouse,
    `SELECT sum(rows) AS rows, sum(bytes) AS bytes FROM system.parts WHERE database = '${dataset.database}' AND active`,
  );
  if (size) notes.push(`on disk: ${Number(size.rows)} rows in active parts, ${(Number(size.bytes) / 1024 ** 2).toFixed(0)} MiB`);
  return { part, figures, notes };
}
