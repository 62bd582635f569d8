// A Redis lock with expiry: SET NX PX to take it, compare-and-delete (a Lua script, lua-script.ts) to give it back, so
// a holder whose lock expired never deletes the next holder's. For work that one instance of several does at a time
// (the subscription manager, the reaper); the others skip it.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defineLuaScript } from './lua-script.js';

/** KEYS: the lock. ARGV: the holder's token. Deletes the lock only while that holder has it. */
const releaseLua = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export type Locked<T> = { acquired: true; value: T } | { acquired: false };

/** Runs work while holding the lock; does not wait when another holder has it. */
export async function withLock<T>(redis: Redis, key: string, ttlMs: number, work: () => Promise<T>): Promise<Locked<T>> {
  const token = randomUUID();
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') return { acquired: false };
  try {
    return { acquired: true, value: await work() };
  } finally {
    await defineLuaScript(redis, 'callpulseReleaseLock', 1, releaseLua).run(redis, [key], [token]);
  }
}
