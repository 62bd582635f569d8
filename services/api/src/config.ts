// The API service's environment, validated once at start-up (every variable: docs/api.md, "Configuration"). The
// limits must also agree with the schema: graphql/cost.ts refuses an API_MAX_COST below the largest page's cost when
// the service is built (costLimitProblems).
import { clickhouseEnv, logLevel, port, positiveInt, redisUrl, z } from '@callpulse/platform';
import { type ApiKey, parseApiKeys } from './auth/api-keys.js';
import { normaliseOrigin } from './auth/origins.js';

const apiKeys = z
  .string()
  .default('')
  .transform((raw, ctx): ApiKey[] => {
    try {
      return parseApiKeys(raw);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      return z.NEVER;
    }
  });

const commaList = (raw: string) =>
  raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

const corsOrigins = z
  .string()
  .default('')
  .transform((raw, ctx): string[] =>
    commaList(raw).map((entry) => {
      const origin = normaliseOrigin(entry);
      if (origin === undefined || origin !== entry.replace(/\/$/, '').toLowerCase()) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${entry}" is not an origin: scheme://host[:port] with http or https and no path (e.g. https://dash.example.com)`,
        });
      }
      return origin ?? entry;
    }),
  );

const hostNames = z
  .string()
  .default('')
  .transform((raw, ctx): string[] =>
    commaList(raw).map((entry) => {
      const name = entry.toLowerCase();
      if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(name)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${entry}" is not a host name (no port, IPv6 in brackets)` });
      }
      return name;
    }),
  );

export const apiEnv = z.object({
  LOG_LEVEL: logLevel,
  API_PORT: port(4000),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  /** `role:key` pairs separated by commas, roles `admin` or `viewer`; empty: loopback only, read-only. */
  API_KEYS: apiKeys,
  /** Without API_KEYS the API listens on 127.0.0.1; this address instead (e.g. 0.0.0.0 in a container), an explicit opt-in. */
  API_ALLOW_NO_KEYS_ON: z.string().trim().default(''),
  /** Host names answered without API_KEYS besides localhost, 127.0.0.1 and [::1]. */
  API_ALLOWED_HOSTS: hostNames,
  /** Origins (scheme://host[:port]) browsers may call the API from, with CORS headers; empty: same origin only. */
  API_CORS_ORIGINS: corsOrigins,
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('cp:'),
  ...clickhouseEnv,
  API_MAX_PAGE_SIZE: positiveInt(500),
  API_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  /** Time limit of one CSV export (GET /export/calls.csv), from its query to its last row. */
  API_EXPORT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600000),
  API_MAX_RANGE_DAYS: positiveInt(366),
  API_SERVICE_LEVEL_SECONDS: z.coerce.number().int().nonnegative().default(20),
  API_MAX_DEPTH: positiveInt(8),
  API_MAX_COST: positiveInt(50000),
  API_MAX_ALIASES: positiveInt(15),
  API_ADMIN_COMMAND_TIMEOUT_MS: positiveInt(10000),
  /** Messages queued per subscriber beyond which the subscription is dropped (a client that stopped reading). */
  API_SUBSCRIBER_BUFFER: positiveInt(1000),
  /** Operations (subscriptions, or queries sent over the socket) running at once on one WebSocket connection. */
  API_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt(20),
  /** WebSocket connections and SSE subscriptions open at once from one client address. */
  API_MAX_STREAMS_PER_ADDRESS: positiveInt(50),
  /** ClickHouse queries one GraphQL request may run (calls with totalCount: 2; the other history fields: 1). */
  API_CLICKHOUSE_QUERIES_PER_REQUEST: positiveInt(4),
  /** ClickHouse queries of this API instance in flight at once. */
  API_CLICKHOUSE_CONCURRENCY: positiveInt(8),
  /** ClickHouse queries of one API key (or of all callers without keys) in flight at once. */
  API_CLICKHOUSE_CONCURRENCY_PER_KEY: positiveInt(4),
  /** How long a query waits for a free slot before it fails with RATE_LIMITED. */
  API_CLICKHOUSE_QUEUE_TIMEOUT_MS: positiveInt(5000),
  /** Alerts (docs/alerts.md): how often the evaluator checks every rule (besides on each board change). */
  API_ALERT_TICK_MS: z.coerce.number().int().min(50).max(10000).default(250),
  /** Alert targets may be plain http beyond loopback (1); by default https, or http to loopback only. */
  API_ALERT_ALLOW_HTTP: z
    .enum(['0', '1', 'false', 'true'])
    .default('0')
    .transform((value) => value === '1' || value === 'true'),
  /** Alerts: time limit of one POST to an alert target (a delivery or testAlertTarget); slower counts as failed. */
  API_ALERT_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  /** Alerts: 0 keeps this instance out of delivery (it never takes the delivery lease; others deliver). */
  API_ALERT_DELIVERY: z
    .enum(['0', '1', 'false', 'true'])
    .default('1')
    .transform((value) => value === '1' || value === 'true'),
  /** Alerts: 0 turns the evaluator off in this instance (it still serves the alert queries and mutations). */
  API_ALERT_EVALUATOR: z
    .enum(['0', '1', 'false', 'true'])
    .default('1')
    .transform((value) => value === '1' || value === 'true'),
});

export type ApiConfig = z.infer<typeof apiEnv>;
