// The directory's name and extension number of the agents of a page of calls (Call.agent): the extension ids asked
// for while one response's fields resolve are read together, in ONE Redis HMGET (not one per row), each id once. An
// extension the directory does not know has no agent (null). Nothing is kept after the read, so a long subscription
// sees a renamed agent.
import type { DirectoryExtension, RedisKeys } from '@callpulse/contracts';
import { type Redis, readExtensions } from '@callpulse/platform';

export type Agent = Pick<DirectoryExtension, 'extensionNumber' | 'name'>;

export interface AgentNames {
  load(extensionId: string): Promise<Agent | null>;
}

interface Waiting {
  promise: Promise<Agent | null>;
  resolve: (agent: Agent | null) => void;
  reject: (err: unknown) => void;
}

/** A loader: ids asked for in the same turn of the event loop share one read. */
export function agentNames(redis: Redis, keys: RedisKeys): AgentNames {
  let batch: Map<string, Waiting> | undefined;
  const flush = async (waiting: Map<string, Waiting>) => {
    try {
      const found = new Map((await readExtensions(redis, keys, [...waiting.keys()])).map((one) => [one.id, one]));
      for (const [id, { resolve }] of waiting) {
        const extension = found.get(id);
        resolve(extension ? { extensionNumber: extension.extensionNumber, name: extension.name } : null);
      }
    } catch (err) {
      for (const { reject } of waiting.values()) reject(err);
    }
  };
  return {
    load(extensionId) {
      if (!batch) {
        const current = new Map<string, Waiting>();
        batch = current;
        // After the promise jobs of this turn: every row of a resolved page has asked by then.
        setImmediate(() => {
          batch = undefined;
          void flush(current);
        });
      }
      const same = batch.get(extensionId);
      if (same) return same.promise;
      let resolve!: Waiting['resolve'];
      let reject!: Waiting['reject'];
      const promise = new Promise<Agent | null>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      batch.set(extensionId, { promise, resolve, reject });
      return promise;
    },
  };
}

const perRequest = new WeakMap<object, AgentNames>();

/** The loader of a request (its context object), made on first use. */
export function agentNamesOf(request: object, redis: Redis, keys: RedisKeys): AgentNames {
  let loader = perRequest.get(request);
  if (!loader) {
    loader = agentNames(redis, keys);
    perRequest.set(request, loader);
  }
  return loader;
}
