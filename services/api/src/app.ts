// The API service: fastify (health, metrics, dashboard) + yoga on /graphql (HTTP and SSE) + graphql-ws on the same port,
// Redis for live data and pub/sub, ClickHouse for history. Every request passes the Host and Origin checks first.
import { redisChannels, redisKeys } from '@callpulse/contracts';
import {
  addHealthRoutes,
  createClickHouseClient,
  createRedis,
  createSubscriber,
  httpServerOptions,
  type Logger,
  logRedisErrors,
  sql,
} from '@callpulse/platform';
import Fastify from 'fastify';
import { roleOfAuthorization } from './auth/api-keys.js';
import type { ApiConfig } from './config.js';
import { stopBoard } from './graphql/board-resolvers.js';
import type { ApiDeps } from './graphql/context.js';
import { createApiYoga } from './graphql/yoga.js';
import { ClickHouseGate } from './history/clickhouse-gate.js';
import { createQueryService } from './history/clickhouse-runner.js';
import { addDashboardRoute } from './http/dashboard.js';
import { addGraphqlRoute } from './http/graphql-route.js';
import { addRequestGuards } from './http/guards.js';
import type { OriginPolicy } from './http/origins.js';
import { StreamLimits } from './http/stream-limits.js';
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

/** Where to listen: without API keys on loopback, whatever API_HOST says, unless API_ALLOW_NO_KEYS_ON names an address. */
export function listenHost(config: ApiConfig): string {
  if (config.API_KEYS.length > 0) return config.API_HOST;
  return config.API_ALLOW_NO_KEYS_ON || '127.0.0.1';
}

export function originPolicy(config: ApiConfig): OriginPolicy {
  return {
    corsOrigins: new Set(config.API_CORS_ORIGINS),
    checkHost: config.API_KEYS.length === 0,
    allowedHosts: new Set(config.API_ALLOWED_HOSTS),
  };
}

export async function startApi(config: ApiConfig, options: { logger: Logger }): Promise<ApiHandle> {
  const { logger } = options;
  const metrics = createApiMetrics();
  const redis = createRedis(config.REDIS_URL);
  const subscriber = createSubscriber(config.REDIS_URL);
  logRedisErrors(redis, logger, 'commands');
  logRedisErrors(subscriber, logger, 'live channels');
  const clickhouse = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    requestTimeoutMs: config.API_QUERY_TIMEOUT_MS + 1000,
    application: 'callpulse-api',
  });
  const keys = redisKeys(config.REDIS_KEY_PREFIX);
  const channels = redisChannels(config.REDIS_KEY_PREFIX);
  const live = new LiveEvents(redis, subscriber, keys, channels, metrics, logger, config.API_SUBSCRIBER_BUFFER);
  // Not awaited: with Redis down the API still listens (and /readyz says why it is not ready); ioredis subscribes as soon
  // as Redis answers and subscribes again after every reconnect.
  let liveSubscribed = false;
  live.start().then(
    () => {
      liveSubscribed = true;
    },
    (err: Error) => logger.error({ err }, 'subscribing to the live channels failed'),
  );
  const gate = new ClickHouseGate(
    config.API_CLICKHOUSE_CONCURRENCY,
    config.API_CLICKHOUSE_CONCURRENCY_PER_KEY,
    config.API_CLICKHOUSE_QUEUE_TIMEOUT_MS,
  );
  const runner = createQueryService({ clickhouse, timeoutMs: config.API_QUERY_TIMEOUT_MS, gate, metrics, logger });
  const deps: ApiDeps = { config, redis, keys, channels, runner, live, metrics, logger };
  const policy = originPolicy(config);
  const yoga = createApiYoga(deps, policy);
  const streams = new StreamLimits(config.API_MAX_STREAMS_PER_ADDRESS);

  /** "summary: detail": the summary names the dependency, the detail is the backend's error text (shown to key holders). */
  const ready = async (): Promise<true | string> => {
    if (redis.status !== 'ready') return `Redis is not connected: ${redis.status}`;
    if (!liveSubscribed || subscriber.status !== 'ready') return `Redis live channels are not subscribed: ${subscriber.status}`;
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
  addRequestGuards(app, policy);
  // Anyone sees which dependency is not ready; the backend's error text only a caller with a valid API key.
  addHealthRoutes(app, {
    registry: metrics.registry,
    ready,
    showDetail: (request) =>
      config.API_KEYS.length > 0 && roleOfAuthorization(config.API_KEYS, request.headers.authorization) !== undefined,
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });
  const streamOptions = { streams, maxStreamsPerAddress: config.API_MAX_STREAMS_PER_ADDRESS };
  addGraphqlRoute(app, yoga, { keys: config.API_KEYS, ...streamOptions });
  addDashboardRoute(app);
  const ws = attachWebSocket(app.server, yoga, {
    keys: config.API_KEYS,
    policy,
    ...streamOptions,
    maxSubscriptionsPerConnection: config.API_MAX_SUBSCRIPTIONS_PER_CONNECTION,
  });

  const host = listenHost(config);
  if (config.API_KEYS.length === 0 && host === '127.0.0.1') {
    logger.warn({ host }, 'API_KEYS is empty: the API answers on loopback only and is read-only (no mutations)');
  } else if (config.API_KEYS.length === 0) {
    logger.warn(
      { host },
      'API_KEYS is empty and API_ALLOW_NO_KEYS_ON opts in: the API answers WITHOUT KEYS on this address (read-only, loopback host names only)',
    );
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
      await stopBoard(deps);
      await live.stop();
      await clickhouse.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
