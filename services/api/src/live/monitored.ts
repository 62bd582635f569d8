// Which extensions are monitored, read the way call-state decides it: the monitored set; with neither a directory nor a
// monitored set in Redis every extension is, and the live board knows them from the agent states call-state wrote.
import type { Redis, RedisKeys } from '@callpulse/shared';

export interface MonitoredView {
  /** true when every extension is monitored (no directory and no monitored set). */
  all: boolean;
  ids: string[];
}

export async function readMonitored(redis: Redis, keys: RedisKeys): Promise<MonitoredView> {
  const [monitoredSet, directory] = await Promise.all([redis.exists(keys.monitoredExtensions), redis.exists(keys.extensions)]);
  if (monitoredSet === 0 && directory === 0) return { all: true, ids: await redis.hkeys(keys.agentStates) };
  return { all: false, ids: await redis.smembers(keys.monitoredExtensions) };
}
