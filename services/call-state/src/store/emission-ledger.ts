// What was emitted for each leg (and the summary) of a session, kept in its meta hash, so that ONE version number
// always carries ONE content, whatever crashes, retries or lease expiries happen between a send and its bookkeeping:
// - before a record is sent its version is allocated from a per-key counter (`ver:<key>`) and noted as being sent
//   (`sending:<key>` = {version, fingerprint}); a record with the same content that is sent again (a retry after a
//   crash or a failed send) reuses that version; a record with other content always gets a new, higher one;
// - after the send, `emit:<key>` records what went out, unless a higher version was recorded meanwhile (an emitter
//   whose lease ran out must not overwrite the newer emitter's bookkeeping);
// - the allocation reads `emit:<key>` again, atomically with it: an emitter that read the session's emissions before
//   another one recorded the same content (two emitters of one session after a lease ran out, e.g. behind a Kafka
//   outage) finds it already emitted and sends nothing, instead of sending the same content as a new version; with
//   other content its version is above the one recorded, and the recorded one is its `previous`.
// Versions may skip a number (allocated, then the content changed before it was sent); they never repeat.
import type { RedisKeys } from '@callpulse/contracts';
import { defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';
import type { Emitted } from './emitted.js';

/**
 * KEYS: meta. ARGV: key, fingerprint, floor version, ... Returns, for each record in order, its version (0: already
 * emitted with this content) and the `emit:<key>` recorded now (false: none).
 */
const allocateLua = `
local replies = {}
for i = 1, #ARGV, 3 do
  local key, print, floor = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local version = nil
  local current = redis.call('HGET', KEYS[1], 'emit:' .. key)
  if current then
    local recorded = cjson.decode(current)
    if recorded.fingerprint == print then version = 0
    elseif recorded.version > floor then floor = recorded.version end
  end
  local sending = version == nil and redis.call('HGET', KEYS[1], 'sending:' .. key)
  if sending then
    local noted = cjson.decode(sending)
    if noted.fingerprint == print and noted.version > floor then version = noted.version end
  end
  if version == nil then
    version = redis.call('HINCRBY', KEYS[1], 'ver:' .. key, 1)
    if version <= floor then
      version = floor + 1
      redis.call('HSET', KEYS[1], 'ver:' .. key, version)
    end
    redis.call('HSET', KEYS[1], 'sending:' .. key, cjson.encode({version = version, fingerprint = print}))
  end
  table.insert(replies, version)
  table.insert(replies, current or false)
end
return replies`;

/**
 * KEYS: meta. ARGV: key, version, Emitted JSON, ... Records what was sent unless this or a higher version is recorded.
 * Returns, for each record in order: 0 (not recorded: another emitter recorded it or a newer one), 1 (recorded, nothing
 * before it) or the Emitted JSON it replaced.
 */
const recordLua = `
local replies = {}
for i = 1, #ARGV, 3 do
  local key, version, emitted = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local current = redis.call('HGET', KEYS[1], 'emit:' .. key)
  if not current or cjson.decode(current).version < version then
    redis.call('HSET', KEYS[1], 'emit:' .. key, emitted)
    table.insert(replies, current or 1)
  else
    table.insert(replies, 0)
  end
  local sending = redis.call('HGET', KEYS[1], 'sending:' .. key)
  if sending and cjson.decode(sending).version <= version then redis.call('HDEL', KEYS[1], 'sending:' .. key) end
end
return replies`;

export interface Allocation {
  emitKey: string;
  fingerprint: string;
  /** The last version recorded as emitted for the key (0: none); the allocated one is higher. */
  floor: number;
}

/** A record to send with its version, and what is recorded as emitted for its key now; or 'emitted' already. */
export type Allocated = { version: number; previous: Emitted | undefined } | 'emitted';

export class EmissionLedger {
  private readonly allocateScript: LuaScript;
  private readonly recordScript: LuaScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.allocateScript = defineLuaScript(redis, 'callpulseAllocateVersions', 1, allocateLua);
    this.recordScript = defineLuaScript(redis, 'callpulseRecordEmitted', 1, recordLua);
  }

  /**
   * The version each record will be sent with (same content as a send in progress: the same version) and what is
   * recorded as emitted for its key at that moment; 'emitted' when that is this very content.
   */
  async allocate(telephonySessionId: string, records: Allocation[]): Promise<Allocated[]> {
    if (records.length === 0) return [];
    const args = records.flatMap(({ emitKey, fingerprint, floor }) => [emitKey, fingerprint, floor]);
    const replies = (await this.allocateScript.run(this.redis, [this.keys.sessionMeta(telephonySessionId)], args)) as Array<
      number | string | null
    >;
    return records.map((_, index): Allocated => {
      const version = Number(replies[2 * index]);
      const current = replies[2 * index + 1];
      if (version === 0) return 'emitted';
      return { version, previous: typeof current === 'string' ? (JSON.parse(current) as Emitted) : undefined };
    });
  }

  /**
   * Records what was sent (after Kafka acknowledged it). Returns the keys this call recorded, each with the entry it
   * replaced (undefined: none); a key another emitter recorded first (the same version or a newer one) is left out, so
   * what a record counted is counted once and taken back once.
   */
  async record(telephonySessionId: string, sent: Map<string, Emitted>): Promise<Map<string, Emitted | undefined>> {
    const recorded = new Map<string, Emitted | undefined>();
    if (sent.size === 0) return recorded;
    const entries = [...sent];
    const args = entries.flatMap(([key, emitted]) => [key, emitted.version, JSON.stringify(emitted)]);
    const replies = (await this.recordScript.run(this.redis, [this.keys.sessionMeta(telephonySessionId)], args)) as Array<number | string>;
    entries.forEach(([key], index) => {
      const reply = replies[index];
      if (typeof reply === 'string') recorded.set(key, JSON.parse(reply) as Emitted);
      else if (Number(reply) === 1) recorded.set(key, undefined);
    });
    return recorded;
  }
}
