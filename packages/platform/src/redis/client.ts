// Redis connections for the services and tools (they reach ioredis only through platform).
import { Redis, type RedisOptions } from 'ioredis';
import { defineLockScripts } from './lock.js';

export type { ChainableCommander } from 'ioredis';
export { Redis };

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 20, enableAutoPipelining: true, ...options });
  defineLockScripts(redis); // before the first command (see lock.ts)
  return redis;
}

/** A connection for SUBSCRIBE/PSUBSCRIBE (no ready check, per ioredis docs). */
export function createSubscriber(url: string): Redis {
  return new Redis(url, { enableReadyCheck: false, maxRetriesPerRequest: null });
}

/**
 * Logs a connection's errors as structured lines, once per failure streak (not per reconnect attempt), and when it is
 * back. Without a listener ioredis prints "[ioredis] Unhandled error event" lines of its own.
 */
export function logRedisErrors(
  client: Redis,
  logger: { warn: (obj: object, msg: string) => void; info: (msg: string) => void },
  name: string,
): void {
  let failing = false;
  client.on('error', (err: Error) => {
    if (failing) return;
    failing = true;
    logger.warn(
      { err: { message: err.message, code: (err as NodeJS.ErrnoException).code } },
      `Redis connection "${name}" failed; reconnecting`,
    );
  });
  client.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger.info(`Redis connection "${name}" is back`);
  });
}
