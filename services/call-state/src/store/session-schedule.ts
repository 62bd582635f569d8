// Two session-wide indexes in Redis: when each session was last seen (for the reaper) and when its completed records
// are due (for the emitter). Due sessions are claimed with a lease, so with several workers one emits a session at a
// time, and a worker that dies mid-emission hands the session on when its lease runs out.
import type { RedisKeys } from '@callpulse/contracts';
import { type ChainableCommander, defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';

/** Sessions with a score each (last seen, or emission due), as variadic ZADD takes them. */
export type ScoredSessions = Array<[scoreMs: number, telephonySessionId: string]>;

const flat = (entries: ScoredSessions): Array<string | number> => entries.flat();

const claimScript = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], member) end
return due`;

/** ARGV: the lease, then the sessions claimed with it. */
const releaseScript = `
local released = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) == ARGV[1] then released = released + redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return released`;

/** ARGV: the lease, then due time and session, ... A session still under this lease moves to its due time; one
 * rescheduled since its claim (a new change) keeps the earlier of the two. */
const putBackScript = `
for i = 2, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[1], ARGV[i + 1]) == ARGV[1] then redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
  else redis.call('ZADD', KEYS[1], 'LT', ARGV[i], ARGV[i + 1]) end
end
return 0`;

export class SessionSchedule {
  private readonly claim: LuaScript;
  private readonly releaseClaimed: LuaScript;
  private readonly putBackClaimed: LuaScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.claim = defineLuaScript(redis, 'callpulseClaimDueSessions', 1, claimScript);
    this.releaseClaimed = defineLuaScript(redis, 'callpulseReleaseSessions', 1, releaseScript);
    this.putBackClaimed = defineLuaScript(redis, 'callpulsePutBackSessions', 1, putBackScript);
  }

  touch(telephonySessionId: string, nowMs: number): Promise<unknown> {
    return this.redis.zadd(this.keys.sessionsByLastSeen, nowMs, telephonySessionId);
  }

  forget(telephonySessionId: string): Promise<unknown> {
    return this.redis.zrem(this.keys.sessionsByLastSeen, telephonySessionId);
  }

  /** Due at dueMs, or earlier if it already was. */
  scheduleEmission(telephonySessionId: string, dueMs: number): Promise<unknown> {
    return this.redis.zadd(this.keys.pendingEmissions, 'LT', dueMs, telephonySessionId);
  }

  /** touch() of many sessions as one command, queued in a pipeline. */
  queueTouches(pipeline: ChainableCommander, seen: ScoredSessions): void {
    if (seen.length > 0) pipeline.zadd(this.keys.sessionsByLastSeen, ...flat(seen));
  }

  /** forget() of many sessions as one command, queued in a pipeline. */
  queueForgets(pipeline: ChainableCommander, telephonySessionIds: string[]): void {
    if (telephonySessionIds.length > 0) pipeline.zrem(this.keys.sessionsByLastSeen, ...telephonySessionIds);
  }

  /** scheduleEmission() of many sessions as one command, queued in a pipeline (each due then, or earlier if it was). */
  queueEmissions(pipeline: ChainableCommander, due: ScoredSessions): void {
    if (due.length > 0) pipeline.zadd(this.keys.pendingEmissions, 'LT', ...flat(due));
  }

  /** scheduleEmission() of many sessions as one command. */
  async scheduleEmissions(due: ScoredSessions): Promise<void> {
    if (due.length > 0) await this.redis.zadd(this.keys.pendingEmissions, 'LT', ...flat(due));
  }

  /** Claims up to `limit` due sessions until leaseUntilMs; returns them with the lease to release. */
  async claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<string[]> {
    return (await this.claim.run(this.redis, [this.keys.pendingEmissions], [nowMs, leaseUntilMs, limit])) as string[];
  }

  /**
   * Claimed sessions due again later (held, or not yet due): each at its time, later than the lease too, unless a
   * change rescheduled it sooner since the claim. (scheduleEmissions would keep the lease, which release then drops.)
   */
  async putBack(due: ScoredSessions, leaseUntilMs: number): Promise<void> {
    if (due.length > 0) await this.putBackClaimed.run(this.redis, [this.keys.pendingEmissions], [String(leaseUntilMs), ...flat(due)]);
  }

  /** Drops the sessions from the schedule, except those rescheduled since they were claimed. */
  release(telephonySessionIds: string[], leaseUntilMs: number): Promise<unknown> {
    if (telephonySessionIds.length === 0) return Promise.resolve(0);
    return this.releaseClaimed.run(this.redis, [this.keys.pendingEmissions], [String(leaseUntilMs), ...telephonySessionIds]);
  }

  staleSessions(lastSeenBeforeMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.sessionsByLastSeen, '-inf', lastSeenBeforeMs, 'LIMIT', 0, limit);
  }

  pendingCount(): Promise<number> {
    return this.redis.zcard(this.keys.pendingEmissions);
  }
}
