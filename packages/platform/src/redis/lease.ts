// A renewed Redis lease: the one instance of several that does continuous work (the alert evaluator, the alert
// delivery) holds a key with expiry and renews it every `renewMs`; when the holder dies, the key expires and another
// instance takes it within `ttlMs + renewMs`. Unlike withLock (lock.ts), which wraps one piece of work, a lease is
// held for as long as the process runs and says when it is won and lost. Renew and release are compare-and-set
// scripts on the holder's token, sent with EVAL (built in: safe whatever ioredis has queued, see lock.ts).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** KEYS: the lease. ARGV: the holder's token, the expiry in ms. Extends the lease only while that holder has it. */
const renewLua = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** KEYS: the lease. ARGV: the holder's token. Deletes the lease only while that holder has it. */
const releaseLua = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface LeaseOptions {
  /** Expiry of the key: how long a dead holder keeps others out (default 5000). */
  ttlMs?: number;
  /** How often the holder renews, and how often the others try to take it (default 1000). */
  renewMs?: number;
  /** Called when this instance won the lease. */
  onAcquired?: () => void;
  /** Called when this instance lost it (renewal refused, or not renewed within the expiry) or gave it up. */
  onLost?: () => void;
  /** Called with a Redis error of a take or renewal (the lease keeps trying). */
  onError?: (err: Error) => void;
}

export interface Lease {
  /** The holder's token (the value of the key while this instance holds it). */
  readonly token: string;
  /** true while this instance holds the lease (renewed within its expiry). */
  held(): boolean;
  /** Starts taking and renewing. */
  start(): void;
  /** Stops renewing and gives the lease back if held (onLost is called). */
  stop(): Promise<void>;
}

export function createLease(redis: Redis, key: string, options: LeaseOptions = {}): Lease {
  const ttlMs = options.ttlMs ?? 5000;
  const renewMs = options.renewMs ?? 1000;
  const token = randomUUID();
  let holding = false;
  /** When the key was last set or renewed by this holder (local clock): past it + ttlMs the lease may be another's. */
  let renewedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let tick: Promise<void> = Promise.resolve();

  const lose = () => {
    if (!holding) return;
    holding = false;
    options.onLost?.();
  };

  const step = async () => {
    const startedAt = Date.now();
    try {
      if (holding) {
        const renewed = Number(await redis.eval(renewLua, 1, key, token, ttlMs));
        if (renewed === 1) renewedAt = startedAt;
        else lose();
      } else {
        const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
        if (taken === 'OK' && running) {
          renewedAt = startedAt;
          holding = true;
          options.onAcquired?.();
        }
      }
    } catch (err) {
      options.onError?.(err as Error);
    }
    // Not renewed within the expiry (Redis unreachable): another instance may hold it now.
    if (holding && Date.now() - renewedAt >= ttlMs - renewMs / 2) lose();
  };

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => {
      tick = step().finally(schedule);
    }, renewMs);
  };

  return {
    token,
    held: () => holding && Date.now() - renewedAt < ttlMs - renewMs / 2,
    start() {
      if (running) return;
      running = true;
      tick = step().finally(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await tick.catch(() => undefined);
      if (!holding) return;
      lose();
      await redis.eval(releaseLua, 1, key, token).catch(() => undefined);
    },
  };
}
