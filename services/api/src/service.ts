// Wires the API service: Redis for live data and pub/sub, ClickHouse for history (through the gate that budgets its
// queries), the GraphQL schema, and the HTTP app that serves them (app.ts).
import { redisChannels, redisKeys } from '@callpulse/contracts';
import {
  ConfigError,
  createClickHouseClient,
  createRedis,
  createSubscriber,
  type Logger,
  logRedisErrors,
  type Service,
  sql,
} from '@callpulse/platform';
import { AlertDelivery } from './alerts/delivery/delivery.js';
import { buildApiApp, listenHost, originPolicy } from './app.js';
import type { ApiConfig } from './config.js';
import { startAlerts, stopAlerts } from './graphql/alert-runtime.js';
import { stopBoard } from './graphql/board-resolvers.js';
import type { ApiDeps } from './graphql/context.js';
import { costLimitProblems } from './graphql/cost.js';
import { createApiYoga } from './graphql/yoga.js';
import { ClickHouseGate } from './history/clickhouse-gate.js';
import { createQueryService } from './history/clickhouse-runner.js';
import { LiveEvents } from './live/live-events.js';
import { type ApiMetrics, createApiMetrics } from './metrics.js';

export interface ApiService extends Service {
  metrics: ApiMetrics;
  /** http://host:port of the listening server, once started. */
  url: () => string | undefined;
}

/**
 * The API service, built: start() subscribes to the live channels (without waiting for Redis) and listens. Throws a
 * ConfigError when the cost limits do not fit the schema.
 */
export function buildApi(config: ApiConfig, options: { logger: Logger }): ApiService {
  const { logger } = options;
  const problems = costLimitProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
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
  const gate = new ClickHouseGate(
    config.API_CLICKHOUSE_CONCURRENCY,
    config.API_CLICKHOUSE_CONCURRENCY_PER_KEY,
    config.API_CLICKHOUSE_QUEUE_TIMEOUT_MS,
  );
  // The CSV export's own client: its requests may stream for up to API_EXPORT_TIMEOUT_MS.
  const exportClickhouse = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    requestTimeoutMs: config.API_EXPORT_TIMEOUT_MS + 1000,
    application: 'callpulse-api',
  });
  const runner = createQueryService({
    clickhouse,
    timeoutMs: config.API_QUERY_TIMEOUT_MS,
    gate,
    metrics,
    logger,
    stream: { clickhouse: exportClickhouse, timeoutMs: config.API_EXPORT_TIMEOUT_MS },
  });
  const deps: ApiDeps = { config, redis, keys, channels, runner, live, metrics, logger };
  // Alert delivery (alerts/delivery/): webhooks and ClickHouse, in whichever instance holds its lease.
  const delivery = new AlertDelivery({
    redisUrl: config.REDIS_URL,
    keys,
    logger,
    timeoutMs: config.API_ALERT_DELIVERY_TIMEOUT_MS,
    clickhouse: { client: clickhouse, database: config.CLICKHOUSE_DATABASE },
    registry: metrics.registry,
  });
  const policy = originPolicy(config);
  const yoga = createApiYoga(deps, policy);
  let liveSubscribed = false;

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
  const { app, closeWebSocket } = buildApiApp({ config, yoga, policy, metrics, ready, logger, deps });
  const host = listenHost(config);
  let url: string | undefined;

  return {
    metrics,
    ready,
    url: () => url,

    async start() {
      // Not awaited: with Redis down the API still listens (and /readyz says why it is not ready); ioredis subscribes
      // as soon as Redis answers and subscribes again after every reconnect.
      live.start().then(
        () => {
          liveSubscribed = true;
        },
        (err: Error) => logger.error({ err }, 'subscribing to the live channels failed'),
      );
      startAlerts(deps); // the rule evaluator, in whichever instance holds its lease (alerts/evaluator.ts)
      if (config.API_ALERT_DELIVERY) delivery.start();
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
      url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
      logger.info({ host, port, keys: config.API_KEYS.length }, 'api listening');
    },

    async stop() {
      await closeWebSocket();
      await app.close();
      await stopAlerts(deps);
      await delivery.stop();
      await stopBoard(deps);
      await live.stop();
      await clickhouse.close();
      await exportClickhouse.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** buildApi, then start (tests and tools run the API in-process this way). */
export async function startApi(config: ApiConfig, options: { logger: Logger }): Promise<ApiService> {
  const service = buildApi(config, options);
  await service.start();
  return service;
}
