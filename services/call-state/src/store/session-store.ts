// A telephony session in Redis: its deduplicated party events and what was emitted. Its legs are not stored: they are
// the fold of its events, which is deterministic. All keys of a session share the hash tag {telephonySessionId}, so one
// MULTI changes them together (Redis Cluster too).
import type { Redis, RedisKeys } from '@callpulse/shared';
import { type PartyEvent, partyEventKey } from '../domain/index.js';
import type { CountedLeg } from '../emit/day-counters.js';
import { defineLuaScript, type LuaScript } from './lua-script.js';

/** What was last emitted for a leg (field `emit:<partyId>`) or the session summary (field `emit:@session`). */
export interface Emitted {
  version: number;
  /** Digest of the record's content, to tell whether a new fold changed it. */
  fingerprint: string;
  /** What today's counters got from this leg (legs only), so an amendment can take it back. */
  counted?: CountedLeg;
}

export interface StoredEvents {
  events: Map<string, PartyEvent>;
  /** The session ended and its retention window passed: its keys are gone and only the end marker is left. */
  closed: boolean;
}

export const SESSION_EMIT_KEY = '@session';

function parseEvents(stored: Record<string, string>): Map<string, PartyEvent> {
  return new Map(Object.entries(stored).map(([key, value]) => [key, JSON.parse(value) as PartyEvent]));
}

/**
 * KEYS: events, meta, closed marker. ARGV: ttl ms, marker ttl ms (0: none), now ms, then event key, event JSON, ...
 * The meta hash is touched on every write so it has a TTL before the emitter adds to it.
 */
const saveLua = `
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[2], 'touchedAtMs', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
if ARGV[2] ~= '0' then redis.call('SET', KEYS[3], '1', 'PX', ARGV[2]) end
return 1`;

export class SessionStore {
  private readonly saveScript: LuaScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.saveScript = defineLuaScript(redis, 'callpulseSaveSession', 3, saveLua);
  }

  /** The session's events, and whether it is closed (what applying events needs). */
  async loadState(telephonySessionId: string): Promise<StoredEvents> {
    const [events, closed] = await Promise.all([
      this.redis.hgetall(this.keys.sessionEvents(telephonySessionId)),
      this.redis.exists(this.keys.sessionClosed(telephonySessionId)),
    ]);
    return { events: parseEvents(events), closed: closed === 1 && Object.keys(events).length === 0 };
  }

  /** What was emitted for the session's legs and summary. */
  async loadEmitted(telephonySessionId: string): Promise<Map<string, Emitted>> {
    const meta = await this.redis.hgetall(this.keys.sessionMeta(telephonySessionId));
    const emitted = new Map<string, Emitted>();
    for (const [field, value] of Object.entries(meta)) {
      if (field.startsWith('emit:')) emitted.set(field.slice('emit:'.length), JSON.parse(value));
    }
    return emitted;
  }

  async loadEvents(telephonySessionId: string): Promise<Map<string, PartyEvent>> {
    return parseEvents(await this.redis.hgetall(this.keys.sessionEvents(telephonySessionId)));
  }

  /**
   * Writes new events and keeps the session for ttlMs after this write, atomically (one script). When the session has
   * ended, a small marker outlives it (endedMarkerTtlMs) so a very late event is recognised, not folded alone.
   */
  async save(telephonySessionId: string, change: { newEvents: PartyEvent[]; ttlMs: number; endedMarkerTtlMs?: number }): Promise<void> {
    const keys = [
      this.keys.sessionEvents(telephonySessionId),
      this.keys.sessionMeta(telephonySessionId),
      this.keys.sessionClosed(telephonySessionId),
    ];
    const args: Array<string | number> = [change.ttlMs, change.endedMarkerTtlMs ?? 0, Date.now()];
    for (const event of change.newEvents) args.push(partyEventKey(event), JSON.stringify(event));
    await this.saveScript.run(this.redis, keys, args);
  }

  async saveEmitted(telephonySessionId: string, emitted: Map<string, Emitted>): Promise<void> {
    if (emitted.size === 0) return;
    await this.redis.hset(
      this.keys.sessionMeta(telephonySessionId),
      ...[...emitted].flatMap(([key, value]) => [`emit:${key}`, JSON.stringify(value)]),
    );
  }
}
