// Memory of one key prefix: MEMORY USAGE of every key (exact for this run, unlike used_memory of the whole server).
import type { Redis } from '@callpulse/platform';

export async function prefixMemory(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 5000);
    cursor = next;
    const usages = await Promise.all(found.map((key) => redis.memory('USAGE', key, 'SAMPLES', '0') as Promise<number | null>));
    keys += found.length;
    bytes += usages.reduce<number>((sum, usage) => sum + (usage ?? 0), 0);
  } while (cursor !== '0');
  return { keys, bytes };
}
