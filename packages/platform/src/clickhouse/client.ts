// The ClickHouse HTTP client, built from the service's config (services and tools reach @clickhouse/client only here).
import {
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  ClickHouseLogLevel,
  type ClickHouseSettings,
  createClient,
} from '@clickhouse/client';

export type { ClickHouseClient };

export interface ClickHouseOptions {
  url: string;
  username?: string;
  password?: string;
  /** Per-request timeout; a slow ClickHouse fails the request and the caller retries. */
  requestTimeoutMs?: number;
  /** Who asks, shown in ClickHouse's query log (system.query_log `http_user_agent`), e.g. `callpulse-api`. */
  application: string;
  /** Settings on top of ours (64-bit integers as JSON numbers), e.g. a session time zone. */
  settings?: ClickHouseSettings;
  /** Another transport than HTTP to `url` (tests: chdb, a ClickHouse inside the process). */
  connection?: ClickHouseClientConfigOptions['connection'];
}

/** A client without a default database: queries always name `database`.`table`. */
export function createClickHouseClient(options: ClickHouseOptions): ClickHouseClient {
  return createClient({
    url: options.url,
    username: options.username ?? 'default',
    password: options.password ?? '',
    request_timeout: options.requestTimeoutMs ?? 30000,
    application: options.application,
    // Errors reach the caller, which logs them with pino; the client's own console logging is off.
    log: { level: ClickHouseLogLevel.OFF },
    // 64-bit integers as JSON numbers: epoch ms and durations fit in 2^53.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0, ...options.settings },
    ...(options.connection ? { connection: options.connection } : {}),
  });
}

/** The same, from the service's environment config. */
export function clickHouseFromConfig(
  config: { CLICKHOUSE_URL: string; CLICKHOUSE_USER: string; CLICKHOUSE_PASSWORD: string },
  options: Pick<ClickHouseOptions, 'requestTimeoutMs' | 'application'>,
) {
  return createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    ...options,
  });
}
