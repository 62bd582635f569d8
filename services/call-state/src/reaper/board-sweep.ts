// Takes phantom legs off the live board (live/phantom-legs.ts): legs unchanged for the stale-after time whose
// session's events are gone from Redis, so the reaper cannot end them. Each goes out through the live board as an
// ended leg (message published, agent state recomputed), as a reaped leg would. Runs in the reaper's round, under its lock.
import type { LiveLegSnapshot, RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import type { LiveBoard } from '../live/live-board.js';
import { phantomEnd, staleLegs } from '../live/phantom-legs.js';
import type { CallStateMetrics } from '../metrics.js';

/** Keys read per SCAN step and per pipeline of reads. */
const BATCH = 500;
/** Legs named in one warning (its count says how many there were). */
const LOGGED_LEGS = 20;

export class BoardSweep {
  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      board: LiveBoard;
      staleAfterMs: number;
      metrics: CallStateMetrics;
      logger: Logger;
    },
  ) {}

  /** One sweep over every extension's active legs: returns how many phantom legs it took off the board. */
  async sweep(nowMs = Date.now()): Promise<number> {
    const { redis, keys } = this.deps;
    const pattern = keys.extensionActiveLegs('*').replace(/[?[\]\\]/g, '\\$&');
    let swept = 0;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', BATCH);
      cursor = next;
      if (found.length > 0) swept += await this.sweepKeys(found, nowMs);
    } while (cursor !== '0');
    return swept;
  }

  private async sweepKeys(activeLegKeys: string[], nowMs: number): Promise<number> {
    const { redis, keys, board, staleAfterMs, metrics, logger } = this.deps;
    const reads = redis.pipeline();
    for (const key of activeLegKeys) reads.hvals(key);
    const replies = (await reads.exec()) ?? [];
    const legs: LiveLegSnapshot[] = [];
    replies.forEach(([err, values], index) => {
      if (err) throw err;
      for (const value of values as string[]) {
        const leg = parseLeg(value);
        // A leg is taken off the hash it was read from only: LiveBoard writes to its extension's key.
        if (leg && keys.extensionActiveLegs(leg.extensionId) === activeLegKeys[index]) legs.push(leg);
        else
          logger.warn({ key: activeLegKeys[index] }, 'live board: an active leg that is not a leg snapshot of its extension; left as is');
      }
    });
    const stale = staleLegs(legs, nowMs - staleAfterMs);
    if (stale.length === 0) return 0;
    const sessions = [...new Set(stale.map((leg) => leg.telephonySessionId))];
    const checks = redis.pipeline();
    for (const telephonySessionId of sessions) checks.exists(keys.sessionEvents(telephonySessionId));
    const exists = (await checks.exec()) ?? [];
    const gone = new Set(sessions.filter((_, index) => exists[index]?.[0] === null && exists[index]?.[1] === 0));
    const phantoms = stale.filter((leg) => gone.has(leg.telephonySessionId));
    if (phantoms.length === 0) return 0;
    await board.apply(phantoms.map((leg) => phantomEnd(leg, nowMs)));
    metrics.boardLegsSwept.inc(phantoms.length);
    logger.warn(
      {
        count: phantoms.length,
        legs: phantoms
          .slice(0, LOGGED_LEGS)
          .map((leg) => ({ telephonySessionId: leg.telephonySessionId, partyId: leg.partyId, extensionId: leg.extensionId })),
      },
      'took legs whose session is gone from Redis off the live board (call-state was away longer than a session is kept)',
    );
    return phantoms.length;
  }
}

function parseLeg(value: string): LiveLegSnapshot | undefined {
  try {
    const leg = JSON.parse(value) as LiveLegSnapshot;
    return typeof leg?.extensionId === 'string' && typeof leg.telephonySessionId === 'string' && typeof leg.updatedAtMs === 'number'
      ? leg
      : undefined;
  } catch {
    return undefined;
  }
}
