// Ends legs that saw no event for a long time (a lost Disconnected), so no phantom call stays on the live board.
// One worker reaps at a time (Redis lock); the others skip the round.
import { randomUUID } from 'node:crypto';
import type { RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import type { SessionProcessor } from '../consume/session-processor.js';
import { timeoutEvents } from '../domain/index.js';
import type { CallStateMetrics } from '../metrics.js';
import type { SessionSchedule } from '../store/schedule.js';
import type { SessionCache } from '../store/session-cache.js';
import type { SessionStore } from '../store/session-store.js';

const unlockScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class Reaper {
  private readonly token = randomUUID();

  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      store: SessionStore;
      schedule: SessionSchedule;
      processor: SessionProcessor;
      cache: SessionCache;
      staleAfterMs: number;
      metrics: CallStateMetrics;
      logger: Logger;
    },
  ) {}

  /** One round: returns the number of sessions reaped, or -1 when another worker holds the lock. */
  async reapOnce(nowMs = Date.now()): Promise<number> {
    const { redis, keys } = this.deps;
    const locked = await redis.set(keys.reaperLock, this.token, 'PX', 60000, 'NX');
    if (locked !== 'OK') return -1;
    try {
      let reaped = 0;
      const stale = await this.deps.schedule.staleSessions(nowMs - this.deps.staleAfterMs, 1000);
      for (const telephonySessionId of stale) {
        const synthetic = timeoutEvents((await this.deps.store.loadEvents(telephonySessionId)).values());
        if (synthetic.length === 0) {
          await this.deps.schedule.forget(telephonySessionId);
          continue;
        }
        await this.deps.processor.apply(telephonySessionId, synthetic, nowMs);
        this.deps.cache.delete(telephonySessionId); // this worker may not own the session's partition
        reaped++;
        this.deps.metrics.legsReaped.inc();
        this.deps.logger.warn(
          { telephonySessionId, parties: synthetic.map((e) => e.partyId) },
          'ended a stale session as Unknown / Timeout',
        );
      }
      return reaped;
    } finally {
      await redis.eval(unlockScript, 1, keys.reaperLock, this.token);
    }
  }
}
