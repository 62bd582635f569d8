// Redis for the bench: memory figures and clean-up of a key prefix.
import { createRedis, type Redis } from '@callpulse/platform';
import { servers } from './env.js';

export function benchRedis(): Redis {
  return createRedis(servers.redisUrl);
}

/** used_memory from INFO memory, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory has no used_memory line');
  return Number(match[1]);
}

/** Deletes every key that starts with prefix (SCAN + UNLINK in batches); returns how many. */
export async function deleteKeysByPrefix(redis: Redis, prefix: string): Promise<number> {
  if (prefix.length < 8) throw new Error(`refusing to delete Redis keys by the short prefix "${prefix}"`);
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
