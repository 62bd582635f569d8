// ioredis connections for the services.
import { Redis, type RedisOptions } from 'ioredis';

export { Redis };

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: 20, enableAutoPipelining: true, ...options });
}

/** A connection for SUBSCRIBE/PSUBSCRIBE (no ready check, per ioredis docs). */
export function createSubscriber(url: string): Redis {
  return new Redis(url, { enableReadyCheck: false, maxRetriesPerRequest: null });
}
