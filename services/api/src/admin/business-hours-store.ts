// The account's business hours in Redis (one JSON string under redisKeys().businessHours): read by every report
// that filters by them and by the businessHours query, written and cleared by an admin. Read on each use, so every
// API instance applies a change at once.
import { type BusinessHours, businessHoursSchema, type RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';

/** The stored business hours; null when none are set (or what is stored does not read, which is logged). */
export async function readBusinessHours(redis: Redis, keys: RedisKeys, logger: Logger): Promise<BusinessHours | null> {
  const raw = await redis.get(keys.businessHours);
  if (raw === null) return null;
  try {
    return businessHoursSchema.parse(JSON.parse(raw));
  } catch (err) {
    logger.error({ err, key: keys.businessHours }, 'the stored business hours do not read; treated as not set');
    return null;
  }
}

export async function writeBusinessHours(redis: Redis, keys: RedisKeys, hours: BusinessHours): Promise<void> {
  await redis.set(keys.businessHours, JSON.stringify(hours));
}

/** Removes them; true when some were set. */
export async function clearBusinessHours(redis: Redis, keys: RedisKeys): Promise<boolean> {
  return (await redis.del(keys.businessHours)) > 0;
}
