// Seeds the simulated account's directory into Redis, so names and numbers show in the API and call-state monitors
// exactly the simulated agents.
import { redisChannels, redisKeys } from '@callpulse/contracts';
import { createRedis, metaFields, publishDirectoryChanged, replaceMonitoredSet, writeDirectory } from '@callpulse/platform';
import type { SimulatedAccount } from './traffic/account.js';

export interface DirectoryTarget {
  redisUrl: string;
  /** Key prefix of the pipeline (REDIS_KEY_PREFIX), default `cp:`. */
  redisPrefix: string;
}

/** Replaces the directory with the account's extensions and sets the monitored set to its agents. */
export async function seedDirectory(
  target: DirectoryTarget,
  account: SimulatedAccount,
): Promise<{ extensions: number; monitored: number }> {
  const redis = createRedis(target.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect().catch((err: Error) => {
      throw new Error(`cannot reach Redis at ${target.redisUrl} to seed the directory: ${err.message}`);
    });
    const keys = redisKeys(target.redisPrefix);
    const written = await writeDirectory(redis, keys, account.directory);
    await replaceMonitoredSet(redis, keys, account.agentIds);
    await redis.hset(keys.directoryMeta, metaFields.monitoredCount, String(account.agentIds.length));
    await publishDirectoryChanged(redis, redisChannels(target.redisPrefix), 'simulator', { extensions: written.count });
    return { extensions: written.count, monitored: account.agentIds.length };
  } finally {
    redis.disconnect();
  }
}
