// The API's HTTP app: fastify (health, metrics, dashboard, the CSV export) + yoga on /graphql (HTTP and SSE) +
// graphql-ws on the same port. Every request passes the Host and Origin checks first. service.ts builds the parts it serves.
import { addHealthRoutes, httpServerOptions, type Logger, type ReadinessCheck } from '@callpulse/platform';
import Fastify from 'fastify';
import { roleOfAuthorization } from './auth/api-keys.js';
import type { OriginPolicy } from './auth/origins.js';
import type { ApiConfig } from './config.js';
import type { ApiDeps } from './graphql/context.js';
import type { ApiYoga } from './graphql/yoga.js';
import { addDashboardRoute } from './http/dashboard.js';
import { addExportRoute } from './http/export-route.js';
import { addGraphqlRoute } from './http/graphql-route.js';
import { addRequestGuards } from './http/guards.js';
import { StreamLimits } from './http/stream-limits.js';
import { attachWebSocket } from './http/websocket.js';
import type { ApiMetrics } from './metrics.js';

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

export interface ApiAppParts {
  config: ApiConfig;
  yoga: ApiYoga;
  policy: OriginPolicy;
  metrics: ApiMetrics;
  ready: ReadinessCheck;
  logger: Logger;
  /** What the CSV export reads with (history queries, the directory, business hours); no export route without it. */
  deps?: ApiDeps;
}

/** The HTTP app with its routes and the WebSocket endpoint; not listening yet. */
export function buildApiApp(parts: ApiAppParts) {
  const { config, yoga, policy, metrics } = parts;
  const app = Fastify({ ...httpServerOptions(parts.logger), forceCloseConnections: true });
  addRequestGuards(app, policy);
  // Anyone sees which dependency is not ready; the backend's error text only a caller with a valid API key.
  addHealthRoutes(app, {
    registry: metrics.registry,
    ready: parts.ready,
    showDetail: (request) =>
      config.API_KEYS.length > 0 && roleOfAuthorization(config.API_KEYS, request.headers.authorization) !== undefined,
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });
  const streams = new StreamLimits(config.API_MAX_STREAMS_PER_ADDRESS);
  const streamOptions = { streams, maxStreamsPerAddress: config.API_MAX_STREAMS_PER_ADDRESS };
  addGraphqlRoute(app, yoga, { keys: config.API_KEYS, ...streamOptions });
  addDashboardRoute(app);
  if (parts.deps) addExportRoute(app, parts.deps, { keys: config.API_KEYS, policy });
  const ws = attachWebSocket(app.server, yoga, {
    keys: config.API_KEYS,
    policy,
    ...streamOptions,
    maxSubscriptionsPerConnection: config.API_MAX_SUBSCRIPTIONS_PER_CONNECTION,
  });
  return { app, closeWebSocket: () => ws.close() };
}
