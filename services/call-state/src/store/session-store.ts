// A telephony session in Redis: its deduplicated party events, its revision, and what was emitted. Its legs are not
// stored: they are the fold of its events, which is deterministic. All keys of a session share the hash tag
// {telephonySessionId}, so one script changes them together (Redis Cluster too).
//
// Every write bumps the session's revision (`rev` in the meta hash) and is accepted only if the revision is still the
// one the writer read: two writers of one session (a rebalance that moves its partition while the old owner finishes a
// batch, or the reaper on another worker) can never write a change computed from a stale copy. The loser reads again.

import { type PartyEvent, partyEventKey } from '@callpulse/call-model';
import type { RedisKeys } from '@callpulse/contracts';
import { type ChainableCommander, defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';
import type { Emitted } from './emitted.js';
import { decodeEvent, encodeEvent } from './event-codec.js';

export interface StoredSession {
  events: Map<string, PartyEvent>;
  /** The session's revision: 0 when nothing is stored. */
  rev: number;
  /** The revision whose legs the live board holds (see SessionProcessor). */
  boardRev: number;
  /** The session ended and its retention window passed: its keys are gone and only the end marker is left. */
  closed: boolean;
}

/** The meta hash of a session as the emitter needs it. */
export interface EmitState {
  rev: number;
  emitted: Map<string, Emitted>;
  /** When the session was last written (the meta hash's touchedAtMs; 0: unknown). */
  touchedAtMs: number;
}

export type SaveResult = { ok: true; rev: number } | { ok: false; rev: number };

export interface SessionChange {
  newEvents: PartyEvent[];
  ttlMs: number;
  endedMarkerTtlMs?: number;
  expectedRev: number;
  /**
   * The change moves no leg on the live board and the board held the legs of `expectedRev`: it then holds those of the
   * new revision too, recorded by the save itself (no board write, no separate mark).
   */
  boardUnchanged?: boolean;
}

/** How new events are stored: 'compact' (event-codec.ts) or 'json' (the JSON object releases before it stored and read). */
export type EventEncoding = 'compact' | 'json';

function parseEvents(stored: Record<string, string>, telephonySessionId: string): Map<string, PartyEvent> {
  const events = new Map<string, PartyEvent>();
  for (const key in stored) events.set(key, decodeEvent(stored[key] as string, telephonySessionId));
  return events;
}

/** The meta hash's `emit:<emit key>` fields (a leg's partyId, or SESSION_EMIT_KEY) and its revision. */
function parseEmitState(meta: Record<string, string>): EmitState {
  const emitted = new Map<string, Emitted>();
  for (const [field, value] of Object.entries(meta)) {
    if (field.startsWith('emit:')) emitted.set(field.slice('emit:'.length), JSON.parse(value));
  }
  return { rev: Number(meta.rev ?? 0), emitted, touchedAtMs: Number(meta.touchedAtMs ?? 0) };
}

/**
 * KEYS: events, meta, closed marker. ARGV: ttl ms, marker ttl ms (0: none), now ms, expected rev, board unchanged ('1':
 * the board holds the new revision if it held the expected one), then event key, stored event (event-codec.ts), ... Returns {1, new rev},
 * or {0, current rev} when the session changed since the writer read it.
 * The meta hash is touched on every write so it has a TTL before the emitter adds to it.
 */
const saveLua = `
local meta = redis.call('HMGET', KEYS[2], 'rev', 'board')
local rev = tonumber(meta[1] or '0')
if rev ~= tonumber(ARGV[4]) then return {0, rev} end
local boardHeld = ARGV[5] == '1' and tonumber(meta[2] or '0') == rev
for i = 6, #ARGV, 1000 do redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV))) end
rev = rev + 1
if boardHeld then redis.call('HSET', KEYS[2], 'touchedAtMs', ARGV[3], 'rev', rev, 'board', rev)
else redis.call('HSET', KEYS[2], 'touchedAtMs', ARGV[3], 'rev', rev) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
if ARGV[2] ~= '0' then redis.call('SET', KEYS[3], '1', 'PX', ARGV[2]) end
return {1, rev}`;

/** KEYS: events, meta, closed marker. Returns {events as field, value, ...; rev; board rev; closed marker 1/0}. */
const loadLua = `
local meta = redis.call('HMGET', KEYS[2], 'rev', 'board')
return {redis.call('HGETALL', KEYS[1]), meta[1] or '0', meta[2] or '0', redis.call('EXISTS', KEYS[3])}`;

type LoadReply = [string[], string, string, number];

function storedSession([fields, rev, board, closed]: LoadReply, telephonySessionId: string): StoredSession {
  const events = new Map<string, PartyEvent>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    events.set(fields[i] as string, decodeEvent(fields[i + 1] as string, telephonySessionId));
  }
  return { events, rev: Number(rev), boardRev: Number(board), closed: closed === 1 && events.size === 0 };
}

/**
 * KEYS: meta. ARGV: the rev whose legs were applied to the live board. Records it when it is still the session's rev
 * (and newer than what was recorded); returns the session's current rev either way.
 */
const boardAppliedLua = `
local meta = redis.call('HMGET', KEYS[1], 'rev', 'board')
local rev = tonumber(meta[1] or '0')
local applied = tonumber(ARGV[1])
if rev == applied and tonumber(meta[2] or '0') < applied then
  redis.call('HSET', KEYS[1], 'board', applied)
end
return rev`;

/**
 * KEYS: events, meta. ARGV: rev, ttl ms. Keeps the session for ttl ms from now if it is still at that revision (a newer
 * change keeps it as long as its save said, until its own records are out). Returns 1 if it did, else 0.
 */
const retentionLua = `
if tonumber(redis.call('HGET', KEYS[2], 'rev') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

export class SessionStore {
  private readonly retentionScript: LuaScript;
  private readonly saveScript: LuaScript;
  private readonly loadScript: LuaScript;
  private readonly boardAppliedScript: LuaScript;
  private loads: Array<{ telephonySessionId: string; resolve: (stored: StoredSession) => void; reject: (err: unknown) => void }> = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly encoding: EventEncoding = 'compact',
  ) {
    this.saveScript = defineLuaScript(redis, 'callpulseSaveSessionRev', 3, saveLua);
    this.retentionScript = defineLuaScript(redis, 'callpulseSessionRetention', 2, retentionLua);
    this.loadScript = defineLuaScript(redis, 'callpulseLoadSession', 3, loadLua);
    this.boardAppliedScript = defineLuaScript(redis, 'callpulseBoardApplied', 1, boardAppliedLua);
  }

  /**
   * The session's events, revisions and whether it is closed, read together (one script). The reads of the sessions
   * that ask within one turn of the event loop share one round trip (a pipeline of their scripts).
   */
  loadState(telephonySessionId: string): Promise<StoredSession> {
    return new Promise<StoredSession>((resolve, reject) => {
      if (this.loads.length === 0) setImmediate(() => void this.flushLoads());
      this.loads.push({ telephonySessionId, resolve, reject });
    });
  }

  private async flushLoads(): Promise<void> {
    const batch = this.loads;
    this.loads = [];
    try {
      const pipeline = this.redis.pipeline();
      for (const { telephonySessionId } of batch) {
        const { sessionEvents, sessionMeta, sessionClosed } = this.keys;
        this.loadScript.run(
          pipeline,
          [sessionEvents(telephonySessionId), sessionMeta(telephonySessionId), sessionClosed(telephonySessionId)],
          [],
        );
      }
      const results = (await pipeline.exec()) ?? [];
      batch.forEach((load, index) => {
        const [err, reply] = results[index] ?? [new Error('no reply to a session read')];
        if (err) load.reject(err);
        else load.resolve(storedSession(reply as LoadReply, load.telephonySessionId));
      });
    } catch (err) {
      for (const load of batch) load.reject(err);
    }
  }

  /** What was emitted for the session's legs and summary, and the session's revision. */
  async loadEmitState(telephonySessionId: string): Promise<EmitState> {
    return parseEmitState(await this.redis.hgetall(this.keys.sessionMeta(telephonySessionId)));
  }

  /** The session's events and its meta, read together (one MULTI), for a fold that matches the revision read. */
  async loadForEmission(telephonySessionId: string): Promise<EmitState & { events: Map<string, PartyEvent> }> {
    const replies = await this.redis
      .multi()
      .hgetall(this.keys.sessionEvents(telephonySessionId))
      .hgetall(this.keys.sessionMeta(telephonySessionId))
      .exec();
    const [events, meta] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    }) as [Record<string, string>, Record<string, string>];
    return { ...parseEmitState(meta), events: parseEvents(events, telephonySessionId) };
  }

  async loadEvents(telephonySessionId: string): Promise<Map<string, PartyEvent>> {
    return parseEvents(await this.redis.hgetall(this.keys.sessionEvents(telephonySessionId)), telephonySessionId);
  }

  /**
   * Writes new events and keeps the session for ttlMs after this write, atomically (one script), if the session is
   * still at `expectedRev`. When the session has ended, a small marker outlives it (endedMarkerTtlMs) so a very late
   * event is recognised, not folded alone.
   */
  async save(telephonySessionId: string, change: SessionChange): Promise<SaveResult> {
    const { keys, args } = this.saveCall(telephonySessionId, change);
    return SessionStore.saveResult(await this.saveScript.run(this.redis, keys, args));
  }

  /** save() queued in a pipeline: its reply, for saveResult, comes with the pipeline's exec. */
  queueSave(pipeline: ChainableCommander, telephonySessionId: string, change: SessionChange): void {
    const { keys, args } = this.saveCall(telephonySessionId, change);
    this.saveScript.run(pipeline, keys, args);
  }

  static saveResult(reply: unknown): SaveResult {
    const [ok, rev] = reply as [number, number];
    return { ok: ok === 1, rev: Number(rev) };
  }

  private saveCall(telephonySessionId: string, change: SessionChange): { keys: string[]; args: Array<string | number> } {
    const keys = [
      this.keys.sessionEvents(telephonySessionId),
      this.keys.sessionMeta(telephonySessionId),
      this.keys.sessionClosed(telephonySessionId),
    ];
    const args: Array<string | number> = [
      change.ttlMs,
      change.endedMarkerTtlMs ?? 0,
      Date.now(),
      change.expectedRev,
      change.boardUnchanged ? '1' : '0',
    ];
    const compact = this.encoding === 'compact';
    for (const event of change.newEvents) {
      args.push(partyEventKey(event), compact ? encodeEvent(event, telephonySessionId) : JSON.stringify(event));
    }
    return { keys, args };
  }

  /**
   * Once an ended session's records are out (the emitter, in its pipeline after the sends): keeps the session's keys
   * for `retentionMs` from now, if it is still at `rev`. Until then it is kept as long as an open session, so an outage
   * of every worker between a call's end and its records' emission does not expire it unemitted.
   */
  queueRetention(pipeline: ChainableCommander, telephonySessionId: string, rev: number, retentionMs: number): void {
    const { sessionEvents, sessionMeta } = this.keys;
    this.retentionScript.run(pipeline, [sessionEvents(telephonySessionId), sessionMeta(telephonySessionId)], [rev, retentionMs]);
  }

  /** Records that the live board holds the legs of `rev`; returns the session's current rev (another may be newer). */
  async markBoardApplied(telephonySessionId: string, rev: number): Promise<number> {
    return Number(await this.boardAppliedScript.run(this.redis, [this.keys.sessionMeta(telephonySessionId)], [rev]));
  }

  /** markBoardApplied() queued in a pipeline: its reply (the session's current rev) comes with the pipeline's exec. */
  queueBoardApplied(pipeline: ChainableCommander, telephonySessionId: string, rev: number): void {
    this.boardAppliedScript.run(pipeline, [this.keys.sessionMeta(telephonySessionId)], [rev]);
  }

  /**
   * Forgets which revision the live board holds (a board write whose mark went out with it failed): the next
   * redelivery or repair rewrites the board. Never creates the meta hash.
   */
  async forgetBoardApplied(telephonySessionId: string): Promise<void> {
    await this.redis.hdel(this.keys.sessionMeta(telephonySessionId), 'board');
  }
}
