// Which extensions are monitored, read the way call-state decides it: the monitored set; with neither a directory nor a
// monitored set in Redis every extension is, and the live board knows them from the agent states call-state wrote.
import type { RedisKeys } from '@callpulse/contracts';
import { type Redis, readMonitoredState } from '@callpulse/platform';

export interface MonitoredView {
  /** true when every extension is monitored (no directory and no monitored set). */
  all: boolean;
  ids: string[];
}

export async function readMonitored(redis: Redis, keys: RedisKeys): Promise<MonitoredView> {
  const { all, members } = await readMonitoredState(redis, keys);
  return all ? { all, ids: await redis.hkeys(keys.agentStates) } : { all, ids: members };
}
