// The API service: fastify (health, metrics, dashboard) + yoga on /graphql (HTTP and SSE) + graphql-ws on the same port,
// Redis for live data and pub/sub, ClickHouse for history.
import {
  addHealthRoutes,
  createClickHouseClient,
  createRedis,
  createSubscriber,
  httpServerOptions,
  type Logger,
  redisChannels,
  redisKeys,
  sql,
} from '@callpulse/shared';
import Fastify from 'fastify';
import type { ApiConfig } from './config.js';
import type { ApiDeps } from './graphql/context.js';
import { createApiYoga } from './graphql/yoga.js';
import { createQueryRunner } from './history/clickhouse-runner.js';
import { addDashboardRoute } from './http/dashboard.js';
import { addGraphqlRoute } from './http/graphql-route.js';
import { attachWebSocket } from './http/websocket.js';
import { LiveEvents } from './live/live-events.js';
import { type ApiMetrics, createApiMetrics } from './metrics.js';

export interface ApiHandle {
  /** http://host:port of the listening server. */
  url: string;
  port: number;
  metrics: ApiMetrics;
  ready: () => Promise<true | string>;
  stop: () => Promise<void>;
}

/** Where to listen: without API keys only on loopback, whatever API_HOST says. */
export function listenHost(config: ApiConfig): string {
  return config.API_KEYS.length === 0 ? '127.0.0.1' : config.API_HOST;
}

export async function startApi(config: ApiConfig, options: { logger: Logger }): Promise<ApiHandle> {
  const { logger } = options;
  const metrics = createApiMetrics();
  const redis = createRedis(config.REDIS_URL);
  const subscriber = createSubscriber(config.REDIS_URL);
  const clickhouse = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    requestTimeoutMs: config.API_QUERY_TIMEOUT_MS + 1000,
    application: 'callpulse-api',
  });
  const keys = redisKeys(config.REDIS_KEY_PREFIX);
  const channels = redisChannels(config.REDIS_KEY_PREFIX);
  const live = new LiveEvents(redis, subscriber, keys, channels, metrics, logger);
  await live.start();
  const runner = createQueryRunner({ clickhouse, timeoutMs: config.API_QUERY_TIMEOUT_MS, metrics, logger });
  const deps: ApiDeps = { config, redis, keys, channels, runner, live, metrics, logger };
  const yoga = createApiYoga(deps);

  const ready = async (): Promise<true | string> => {
    const [pong, ping] = await Promise.all([
      redis.ping().catch((err: Error) => err.message),
      clickhouse.ping().catch((err: Error) => ({ success: false as const, error: err })),
    ]);
    if (pong !== 'PONG') return `Redis does not answer: ${pong}`;
    if (!ping.success) return `ClickHouse does not answer: ${ping.error.message}`;
    const found = await clickhouse
      .query({ query: sql`SELECT name FROM system.databases WHERE name = ${config.CLICKHOUSE_DATABASE}`.text, format: 'JSONEachRow' })
      .then((result) => result.json())
      .catch(() => []);
    if (found.length === 0)
      return `ClickHouse database ${config.CLICKHOUSE_DATABASE} does not exist yet (the reporting service creates it)`;
    return true;
  };

  const app = Fastify({ ...httpServerOptions(logger), forceCloseConnections: true });
  addHealthRoutes(app, { registry: metrics.registry, ready });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });
  addGraphqlRoute(app, yoga, config.API_KEYS);
  addDashboardRoute(app);
  const ws = attachWebSocket(app.server, yoga, config.API_KEYS);

  const host = listenHost(config);
  if (config.API_KEYS.length === 0) {
    logger.warn({ host }, 'API_KEYS is empty: the API answers on loopback only and is read-only (no mutations)');
  }
  await app.listen({ port: config.API_PORT, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.API_PORT;
  logger.info({ host, port, keys: config.API_KEYS.length }, 'api listening');

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    metrics,
    ready,
    stop: async () => {
      await ws.close();
      await app.close();
      await live.stop();
      await clickhouse.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
