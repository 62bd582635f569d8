// Commits one alert transition exactly once: a Lua script that checks the alert's state still has the seq the
// evaluator read (compare-and-set), then writes the new state, appends the transition to the outbox stream (trimmed
// to about OUTBOX_MAXLEN entries) and publishes it on alertChanged, all in one atomic step. Two evaluators (a lease
// overlap) cannot both commit the same transition: the second finds the seq moved and gets the current state back.
// The script is defined on the evaluator's own connection when it is made, before any command (platform's lock.ts
// says why).
import {
  type AlertInstance,
  type AlertTransition,
  alertInstanceField,
  alertInstanceSchema,
  type RedisChannels,
  type RedisKeys,
} from '@callpulse/contracts';
import { defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';

export const OUTBOX_MAXLEN = 100_000;

/**
 * KEYS: the states hash, the outbox stream. ARGV: the alert's field, the seq expected, the new state (JSON), the
 * transition (JSON), the channel, the outbox's length. Returns {1, entry id} when committed, {0, current state or ''}.
 */
const commitLua = `
local current = redis.call('hget', KEYS[1], ARGV[1])
local seq = 0
if current then
  local ok, state = pcall(cjson.decode, current)
  if ok and type(state) == 'table' and tonumber(state['seq']) then seq = tonumber(state['seq']) end
end
if seq ~= tonumber(ARGV[2]) then return {0, current or ''} end
redis.call('hset', KEYS[1], ARGV[1], ARGV[3])
local id = redis.call('xadd', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 't', ARGV[4])
redis.call('publish', ARGV[5], ARGV[4])
return {1, id}
`;

const commitName = 'callpulseCommitAlert';

/** Defines the commit script on a new connection (call it right after making the connection). */
export function defineAlertScripts(redis: Redis): LuaScript {
  return defineLuaScript(redis, commitName, 2, commitLua);
}

export type CommitOutcome = { committed: true; entryId: string } | { committed: false; current: AlertInstance | null };

export async function commitTransition(
  redis: Redis,
  keys: RedisKeys,
  channels: RedisChannels,
  expectedSeq: number,
  transition: AlertTransition,
  state: AlertInstance,
): Promise<CommitOutcome> {
  const reply = (await defineAlertScripts(redis).run(
    redis,
    [keys.alertStates, keys.alertOutbox],
    [
      alertInstanceField(transition.ruleId, transition.subject),
      String(expectedSeq),
      JSON.stringify(state),
      JSON.stringify(transition),
      channels.alertChanged,
      String(OUTBOX_MAXLEN),
    ],
  )) as [number, string];
  if (Number(reply[0]) === 1) return { committed: true, entryId: String(reply[1]) };
  const raw = String(reply[1] ?? '');
  if (raw === '') return { committed: false, current: null };
  try {
    return { committed: false, current: alertInstanceSchema.parse(JSON.parse(raw)) };
  } catch {
    return { committed: false, current: null };
  }
}
