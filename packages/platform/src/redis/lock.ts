// A Redis lock with expiry: SET NX PX to take it, compare-and-delete (a Lua script, lua-script.ts) to give it back, so
// a holder whose lock expired never deletes the next holder's. For work that one instance of several does at a time
// (the subscription manager, the reaper); the others skip it.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defineLuaScript, type LuaScript } from './lua-script.js';

/** KEYS: the lock. ARGV: the holder's token. Deletes the lock only while that holder has it. */
const releaseLua = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const releaseName = 'callpulseReleaseLock';

/**
 * Defines the release script on a new connection, before it sends anything (createRedis does). Defined later, while
 * ioredis's auto-pipelining has a pipeline open, the release would join a pipeline made without the script: ioredis
 * then misaligns the replies and throws outside any promise, which ends the process (seen in the chaos run: the
 * reaper's first release, 69 s after start).
 */
export function defineLockScripts(redis: Redis): LuaScript {
  return defineLuaScript(redis, releaseName, 1, releaseLua);
}

export type Locked<T> = { acquired: true; value: T } | { acquired: false };

/** Runs work while holding the lock; does not wait when another holder has it. */
export async function withLock<T>(redis: Redis, key: string, ttlMs: number, work: () => Promise<T>): Promise<Locked<T>> {
  const token = randomUUID();
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') return { acquired: false };
  try {
    return { acquired: true, value: await work() };
  } finally {
    // A connection not made by createRedis has no release script: EVAL (built in) is safe whatever is queued.
    if (releaseName in redis) await defineLockScripts(redis).run(redis, [key], [token]);
    else await redis.eval(releaseLua, 1, key, token);
  }
}
