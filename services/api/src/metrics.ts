// The API's Prometheus metrics: GraphQL operations and errors, ClickHouse query latency, live subscribers and the ones dropped.
import { Counter, createRegistry, Gauge, Histogram, type Registry } from '@callpulse/platform';

export interface ApiMetrics {
  registry: Registry;
  operations: Counter<'type' | 'outcome'>;
  errors: Counter<'code'>;
  httpRequests: Counter<'route' | 'status'>;
  clickhouseSeconds: Histogram<'query' | 'outcome'>;
  subscriptions: Gauge<'field'>;
  droppedSubscribers: Counter<'field'>;
  liveMessages: Counter<'kind'>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = createRegistry('api');
  return {
    registry,
    operations: new Counter({
      name: 'callpulse_api_operations_total',
      help: 'GraphQL operations by type (query, mutation, subscription) and outcome (ok, error)',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'callpulse_api_errors_total',
      help: 'GraphQL errors returned, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'callpulse_api_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    clickhouseSeconds: new Histogram({
      name: 'callpulse_api_clickhouse_query_seconds',
      help: 'ClickHouse query latency by query and outcome',
      labelNames: ['query', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    subscriptions: new Gauge({
      name: 'callpulse_api_active_subscriptions',
      help: 'Open GraphQL subscriptions by field',
      labelNames: ['field'],
      registers: [registry],
    }),
    droppedSubscribers: new Counter({
      name: 'callpulse_api_dropped_subscribers_total',
      help: 'Subscriptions ended because the client fell more than API_SUBSCRIBER_BUFFER messages behind, by field',
      labelNames: ['field'],
      registers: [registry],
    }),
    liveMessages: new Counter({
      name: 'callpulse_api_live_messages_total',
      help: 'Redis pub/sub messages received from call-state and ingest, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}
