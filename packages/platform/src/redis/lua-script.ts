// A Lua script run by EVALSHA (ioredis defineCommand): Redis compiles it once and each call sends its digest, not its
// text. Usable on the connection itself and in its pipelines; on NOSCRIPT ioredis sends the text once and retries.
import type { ChainableCommander, Redis } from 'ioredis';

type Target = Redis | ChainableCommander;
type Call = (...keysThenArgs: Array<string | number>) => Promise<unknown>;

export interface LuaScript {
  /** Runs the script on the connection (a promise of its reply) or queues it in a pipeline (reply comes with exec). */
  run(target: Target, keys: string[], args: Array<string | number>): Promise<unknown>;
}

export function defineLuaScript(redis: Redis, name: string, numberOfKeys: number, lua: string): LuaScript {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  return {
    run: (target, keys, args) => (target as unknown as Record<string, Call>)[name]?.(...keys, ...args) as Promise<unknown>,
  };
}
