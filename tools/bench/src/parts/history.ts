// Part "history": every query the web app's Reports page and calls explorer send, through the API's GraphQL on the
// reporting dataset (10M legs; 1M with --quick), p50/p95 of 20 runs after a warm-up, one request at a time; then the
// CSV export of about 100,000 and 1,000,000 rows: wall time, rows/s and the API's resident memory before and during.
import { randomBytes } from 'node:crypto';
import { redisKeys } from '@callpulse/contracts';
import { type Figure, figure, type PartResult } from '../report/result.js';
import { runExport } from '../reporting/csv-export.js';
import { EXTENSIONS, ensureDataset } from '../reporting/dataset.js';
import { benchBusinessHours, benchZone, exportRanges, type HistoryQuery, historyQueries } from '../reporting/history-queries.js';
import { apiAvailable, graphqlPath } from '../support/api.js';
import { benchClickHouse } from '../support/clickhouse.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter } from '../support/cpu.js';
import { isolate } from '../support/isolation.js';
import { benchRedis } from '../support/redis.js';
import { startService } from '../support/services.js';
import { percentile, round } from '../support/stats.js';

/** Timed runs per query (BENCH_HISTORY_RUNS, default 20: on a busy machine fewer keep the part under half an hour). */
const RUNS = Math.max(1, Number(process.env.BENCH_HISTORY_RUNS) || 20);
const QUERY_GOAL_MS = 200;
const EXPORT_GOAL_SECONDS = 20;
const MiB = 1024 ** 2;

async function request<T>(apiUrl: string, key: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(new URL(graphqlPath, apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length || body.data === undefined) {
    throw new Error(`the API answered ${response.status}: ${body.errors?.map((error) => error.message).join('; ') ?? 'no data'}`);
  }
  return body.data;
}

/** The directory of the dataset's 10,000 extensions (numbers and names), as the agent board and the export read it. */
async function seedDirectory(prefix: string): Promise<void> {
  const redis = benchRedis();
  try {
    const keys = redisKeys(prefix);
    for (let i = 0; i < EXTENSIONS; i += 1000) {
      const entries = Array.from({ length: 1000 }, (_, j) => {
        const n = i + j;
        const id = String(500000000 + n);
        return [id, JSON.stringify({ id, extensionNumber: String(10000 + n), name: `Agent ${n}`, type: 'User', status: 'Enabled' })];
      });
      await redis.hset(keys.extensions, Object.fromEntries(entries));
    }
  } finally {
    redis.disconnect();
  }
}

export async function runHistory(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const part = 'history';
  const figures: Figure[] = [];
  const notes: string[] = [];
  if (!(await apiAvailable())) return { part, figures, notes: ['the API service is not built: nothing to measure'] };
  const legs = context.quick ? 1000000 : 10000000;
  const clickhouse = benchClickHouse(600000);
  context.cleanup.add('close ClickHouse', () => clickhouse.close());
  const dataset = await ensureDataset(clickhouse, legs, context.log);
  const key = randomBytes(18).toString('base64url');
  const isolation = isolate(context, 'history');
  await seedDirectory(isolation.redisPrefix);
  const api = await startService(context, 'api', { ...isolation, database: dataset.database }, { env: { API_KEYS: `admin:${key}` } });
  await request(api.url, key, benchBusinessHours, {});
  notes.push(
    `dataset ${dataset.database}: ${dataset.legs} legs over 90 days (2025-08-03 to 2025-11-01 UTC), 10,000 extensions in the directory; ${dataset.reused ? 'reused' : `loaded in ${dataset.loadSeconds.toFixed(0)} s`}`,
    `the web app's GraphQL documents and variables (zone ${benchZone}; day 2025-10-15, week 2025-10-13..19, month October 2025; business hours Mon-Fri 09:00-17:00 with a lunch break on Thursdays and one holiday), POST ${api.url}/graphql with an admin key, one request at a time; p50 and p95 of ${RUNS} runs after one warm-up, wall time of the HTTP round trip including reading the JSON`,
  );

  const cpu = startCpuMeter({ api: api.child.pid });
  // BENCH_HISTORY_MATCH=text: only the queries whose name holds it, and the exports only if it is 'CSV export'.
  const match = process.env.BENCH_HISTORY_MATCH;
  if (match) notes.push(`only the measures whose name holds "${match}" (BENCH_HISTORY_MATCH)`);
  for (const query of historyQueries().filter((candidate) => !match || candidate.name.includes(match))) {
    const timing = await timeQuery(api.url, key, query);
    context.log(`${query.name}: p50 ${timing.p50?.toFixed(0)} ms, p95 ${timing.p95?.toFixed(0)} ms`);
    figures.push(figure(part, `${query.name} p50`, round(timing.p50, 0), 'ms'));
    figures.push(figure(part, `${query.name} p95`, round(timing.p95, 0), 'ms', { goal: { op: '<=', value: QUERY_GOAL_MS } }));
    notes.push(`${query.name}: ${timing.summary}`);
  }
  notes.push(`CPU during the queries (share of one core): ${cpu.stop()}`);

  for (const [size, range] of Object.entries(match && !'CSV export'.includes(match) ? {} : exportRanges)) {
    const query = { ...range, timeZone: benchZone, orderBy: 'START', orderDirection: 'DESC' };
    const meter = startCpuMeter({ api: api.child.pid });
    try {
      const run = await runExport(api.url, key, query, api.child.pid);
      const shares = meter.stop();
      const label = `CSV export ${run.rows.toLocaleString('en-US')} rows`;
      context.log(`${label}: ${run.seconds.toFixed(1)} s, peak RSS ${((run.rssPeak ?? 0) / MiB).toFixed(0)} MiB`);
      figures.push(
        figure(
          part,
          `${label}: wall time`,
          round(run.seconds, 1),
          's',
          size === 'large' ? { goal: { op: '<=', value: EXPORT_GOAL_SECONDS } } : {},
        ),
        figure(part, `${label}: rows/s`, Math.round(run.rows / run.seconds), '/s'),
        figure(part, `${label}: API RSS before`, round((run.rssBefore ?? 0) / MiB, 0), 'MiB'),
        figure(part, `${label}: API RSS peak`, round((run.rssPeak ?? 0) / MiB, 0), 'MiB'),
      );
      notes.push(
        `${label} (${range.from} to ${range.to}, ${benchZone}, START DESC): ${(run.bytes / MiB).toFixed(0)} MiB of CSV, first byte after ${run.firstByteSeconds.toFixed(1)} s; CPU: ${shares}`,
      );
    } catch (err) {
      meter.stop();
      notes.push(`CSV export ${size}: FAILED: ${(err as Error).message.slice(0, 300)}`);
      figures.push(
        figure(
          part,
          `CSV export ${size}: wall time`,
          null,
          's',
          size === 'large' ? { goal: { op: '<=', value: EXPORT_GOAL_SECONDS } } : {},
        ),
      );
    }
  }
  return { part, figures, notes };
}

interface Timing {
  p50: number | null;
  p95: number | null;
  summary: string;
}

async function timeQuery(apiUrl: string, key: string, query: HistoryQuery): Promise<Timing> {
  const times: number[] = [];
  let items = 0;
  try {
    let after: string | null = null;
    for (let page = 0; page < (query.afterPages ?? 0); page += 1) {
      const data: { calls: { pageInfo: { endCursor: string | null } } } = await request(apiUrl, key, query.query, {
        ...query.variables,
        a: after,
      });
      after = data.calls.pageInfo.endCursor;
    }
    const variables = query.afterPages ? { ...query.variables, a: after } : query.variables;
    await request(apiUrl, key, query.query, variables); // warm-up, not counted
    for (let index = 0; index < RUNS; index += 1) {
      const started = performance.now();
      items = query.count(await request<Record<string, unknown>>(apiUrl, key, query.query, variables));
      times.push(performance.now() - started);
    }
  } catch (err) {
    return { p50: null, p95: null, summary: `FAILED after ${times.length} timed runs: ${(err as Error).message.slice(0, 300)}` };
  }
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    summary: `${items} items, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
  };
}
