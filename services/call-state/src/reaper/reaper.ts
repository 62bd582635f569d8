// Ends legs that saw no event for a long time (a lost Disconnected), so no phantom call stays on the live board; and
// every few minutes sweeps the board for legs whose session is gone altogether (board-sweep.ts).
// One worker reaps at a time (Redis lock); the others skip the round.

import { timeoutEvents } from '@callpulse/call-model';
import type { RedisKeys } from '@callpulse/contracts';
import { type Logger, type Redis, withLock } from '@callpulse/platform';
import type { SessionProcessor } from '../apply/session-processor.js';
import type { CallStateMetrics } from '../metrics.js';
import type { SessionCache } from '../store/session-cache.js';
import type { SessionSchedule } from '../store/session-schedule.js';
import type { SessionStore } from '../store/session-store.js';
import type { BoardSweep } from './board-sweep.js';

/** How long the reaper's lock holds if its holder dies mid-round. */
const REAPER_LOCK_MS = 60000;

export class Reaper {
  /** When this worker last swept the live board (0: not yet, so its first round does). */
  private sweptAtMs = 0;

  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      store: SessionStore;
      schedule: SessionSchedule;
      processor: SessionProcessor;
      cache: SessionCache;
      staleAfterMs: number;
      /** Sweeps the board in a round when the last sweep is this old. */
      sweep: { board: BoardSweep; everyMs: number };
      metrics: CallStateMetrics;
      logger: Logger;
    },
  ) {}

  /** One round: returns the number of sessions reaped, or -1 when another worker holds the lock. */
  async reapOnce(nowMs = Date.now()): Promise<number> {
    const locked = await withLock(this.deps.redis, this.deps.keys.reaperLock, REAPER_LOCK_MS, async () => {
      const reaped = await this.reapStale(nowMs);
      // After the reaping, so the legs of sessions reaped in this round have left the board already.
      if (nowMs - this.sweptAtMs >= this.deps.sweep.everyMs) {
        await this.deps.sweep.board.sweep(nowMs);
        this.sweptAtMs = nowMs;
      }
      return reaped;
    });
    return locked.acquired ? locked.value : -1;
  }

  private async reapStale(nowMs: number): Promise<number> {
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
      this.deps.metrics.sessionsReaped.inc();
      this.deps.logger.warn({ telephonySessionId, parties: synthetic.map((e) => e.partyId) }, 'ended a stale session as Unknown / Timeout');
    }
    return reaped;
  }
}
