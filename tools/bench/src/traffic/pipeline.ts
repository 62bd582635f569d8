// The whole pipeline for the parts that drive it through ingest (end-to-end, capacity): the four services as child
// processes in one isolation, the live sources the bench listens on (call-state's Redis channel, the API's GraphQL
// subscription as a connected dashboard has it) and the ClickHouse watch of the legs table. Closed at clean-up.

import { apiAvailable } from '../support/api.js';
import { benchClickHouse } from '../support/clickhouse.js';
import type { BenchContext } from '../support/context.js';
import { isolate } from '../support/isolation.js';
import { type Isolation, startService } from '../support/services.js';
import { ClickHouseLegWatch } from './clickhouse-watch.js';
import { LiveLatency } from './live-latency.js';
import { subscribeApiLegChanges, subscribeRedisLegChanges } from './live-source.js';

export interface Pipeline {
  isolation: Isolation;
  ingestUrl: string;
  /** Service processes by name (ingest, call-state, reporting, api), for the CPU meter. */
  pids: Record<string, number>;
  live: LiveLatency;
  /** The API is built and its GraphQL subscription is measured. */
  withApi: boolean;
  redisDescription: string;
  apiDescription: string;
  watch: ClickHouseLegWatch;
  /** Base URLs of call-state and reporting (their /metrics: where a leg's way to ClickHouse goes). */
  callStateUrl: string;
  reportingUrl: string;
}

export async function startPipeline(
  context: BenchContext,
  label: string,
  options: { callStateEnv?: Record<string, string> } = {},
): Promise<Pipeline> {
  const isolation = isolate(context, label, { database: true });
  const withApi = await apiAvailable();
  const ingest = await startService(context, 'ingest', isolation);
  const callState = await startService(context, 'call-state', isolation, { env: options.callStateEnv });
  const reporting = await startService(context, 'reporting', isolation);
  const pids: Record<string, number> = { ingest: ingest.child.pid, 'call-state': callState.child.pid, reporting: reporting.child.pid };
  const live = new LiveLatency();
  const redisSource = await subscribeRedisLegChanges(isolation.redisPrefix, (message) => live.redis.push(message));
  context.cleanup.add('close the Redis subscription', () => redisSource.close());
  let apiDescription = 'the API service is not built: the GraphQL subscription hop is NOT measured';
  if (withApi) {
    const api = await startService(context, 'api', isolation);
    pids.api = api.child.pid;
    const apiSource = await subscribeApiLegChanges(api.url, (message) => live.api.push(message));
    context.cleanup.add('close the GraphQL subscription', () => apiSource.close());
    apiDescription = apiSource.description;
  }
  const clickhouse = benchClickHouse(30000);
  const watch = new ClickHouseLegWatch(clickhouse, isolation.database ?? '');
  context.cleanup.add('stop the ClickHouse watch', async () => {
    await watch.stop();
    await clickhouse.close();
  });
  return {
    isolation,
    ingestUrl: ingest.url,
    pids,
    live,
    withApi,
    redisDescription: redisSource.description,
    apiDescription,
    watch,
    callStateUrl: callState.url,
    reportingUrl: reporting.url,
  };
}
