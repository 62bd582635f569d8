// What every resolver gets: the caller's role and key id (from the HTTP request or the WebSocket connection) with the
// request's ClickHouse budget, and the service's connections and limits.
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import type { Role } from '../auth/api-keys.js';
import type { ApiConfig } from '../config.js';
import type { QueryScope, QueryService } from '../history/clickhouse-runner.js';
import type { LiveEvents } from '../live/live-events.js';
import type { ApiMetrics } from '../metrics.js';
import { forbidden } from './errors.js';

export interface ApiContext {
  role: Role;
  /** The caller's key id (`local` without keys). */
  caller: string;
  /** The request's share of ClickHouse work (its budget, and its key for the per-key limit). */
  queries: QueryScope;
}

export interface ApiDeps {
  config: ApiConfig;
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  runner: QueryService;
  live: LiveEvents;
  metrics: ApiMetrics;
  logger: Logger;
}

/** Refuses all but an admin key; `what` names what needs it (mutations, or an admin-only query). */
export function requireAdmin(context: ApiContext, what = 'mutations'): void {
  if (context.role === 'admin') return;
  const needs = what === 'mutations' ? 'mutations need' : `${what} needs`;
  throw forbidden(
    context.role === 'local'
      ? `${needs} an admin API key: this API runs without API_KEYS (loopback only, read-only)`
      : `${needs} an admin API key; this key has the viewer role`,
  );
}
