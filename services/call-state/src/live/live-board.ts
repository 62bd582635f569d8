// The live board in Redis: each extension's active legs, each monitored agent's state, and the pub/sub messages the
// API turns into GraphQL subscriptions (channel names in packages/contracts/src/redis-keys.ts, README "Live updates").
//
// Several workers (and the partitions one worker consumes concurrently) may change legs of one extension at once. So
// each extension's change is one script that also bumps the extension's live version, publishes each changed leg (its
// JSON serialised once, for the hash and the message) and returns the statuses of the legs it left; the agent state
// computed from those is written only if no newer version was written first. The state may trail its leg by one round
// trip, but it never settles on a state older than the legs.
//
// The changes of the sessions whose replies arrived together share one write of two round trips: the extensions'
// scripts, then the agent states with each session's board mark (SessionStore.markBoardApplied) after them, so a mark
// never lands before the legs and the state of its revision (the crash repair relies on it).
import {
  type AgentState,
  busiestLeg,
  type LiveLegSnapshot,
  type LiveLegStatus,
  type RedisChannels,
  type RedisKeys,
} from '@callpulse/contracts';
import { type ChainableCommander, defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';

/**
 * KEYS: active legs hash, live version. ARGV: leg channel, then field, snapshot JSON, ended ('1': the leg leaves the
 * hash), ... Publishes each snapshot. Returns [version, status of each leg left]. (A snapshot's first `"status":"` is
 * its status field: JSON.stringify escapes quotes inside strings.)
 */
const applyLegsScript = `
for i = 2, #ARGV, 3 do
  if ARGV[i + 2] == '1' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
  redis.call('PUBLISH', ARGV[1], ARGV[i + 1])
end
local reply = {tostring(redis.call('INCR', KEYS[2]))}
for _, leg in ipairs(redis.call('HVALS', KEYS[1])) do
  reply[#reply + 1] = string.match(leg, '"status":"(%a+)"') or ''
end
return reply`;

/** KEYS: agent states, their versions. ARGV: summary channel, then extensionId, version, state, ... Returns changes. */
const writeStatesScript = `
local changed = 0
for i = 2, #ARGV, 3 do
  local id, version, state = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  if (tonumber(redis.call('HGET', KEYS[2], id)) or 0) < version then
    redis.call('HSET', KEYS[2], id, version)
    if redis.call('HGET', KEYS[1], id) ~= state and not (state == 'idle' and redis.call('HEXISTS', KEYS[1], id) == 0) then
      redis.call('HSET', KEYS[1], id, state)
      changed = changed + 1
    end
  end
end
if changed > 0 then redis.call('PUBLISH', ARGV[1], cjson.encode({changed = changed})) end
return changed`;

/** A session whose legs a board write carries: once they (and the agent states) are in, its mark goes out. */
export interface BoardMark {
  telephonySessionId: string;
  rev: number;
}

/** Records which revision of a session the board holds (SessionStore). */
export interface BoardMarker {
  queueBoardApplied(pipeline: ChainableCommander, telephonySessionId: string, rev: number): void;
  forgetBoardApplied(telephonySessionId: string): Promise<void>;
}

/** An agent's state from the statuses of their active legs (contracts' busiestLeg, the rule the API applies too). */
export function agentStateOf(statuses: readonly string[]): AgentState {
  return busiestLeg(statuses.map((status) => ({ status: status as LiveLegStatus, ended: false }))).state;
}

interface Pending {
  changed: LiveLegSnapshot[];
  marks: BoardMark[];
  promise: Promise<number[]>;
}

export class LiveBoard {
  private readonly applyLegs: LuaScript;
  private readonly writeStates: LuaScript;
  private pending: Pending | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly channels: RedisChannels,
    private readonly marker?: BoardMarker,
  ) {
    this.applyLegs = defineLuaScript(redis, 'callpulseApplyExtensionLegsV2', 2, applyLegsScript);
    this.writeStates = defineLuaScript(redis, 'callpulseWriteAgentStates', 2, writeStatesScript);
  }

  /**
   * Applies changed leg snapshots: index, agent states, and one message per change. The changes of the sessions
   * whose Redis replies arrived together (queued within the same turn of the event loop) share one write: one
   * script per extension, then one agent-state script and the sessions' marks. Each caller's promise settles with that
   * write; with a mark, its value is the session's current revision as the mark found it (markBoardApplied).
   */
  apply(changed: LiveLegSnapshot[], mark?: BoardMark): Promise<number | undefined> {
    if (changed.length === 0 && !mark) return Promise.resolve(undefined);
    if (mark && !this.marker) throw new Error('this live board records no board marks');
    let pending = this.pending;
    if (!pending) {
      const created: Pending = { changed: [], marks: [], promise: Promise.resolve([]) };
      created.promise = new Promise<number[]>((resolve, reject) => {
        setImmediate(() => {
          this.pending = undefined;
          this.write(created).then(resolve, reject);
        });
      });
      this.pending = created;
      pending = created;
    }
    pending.changed.push(...changed);
    if (!mark) return pending.promise.then(() => undefined);
    const index = pending.marks.push(mark) - 1;
    return pending.promise.then((revs) => revs[index]);
  }

  private async write({ changed, marks }: Pending): Promise<number[]> {
    const byExtension = new Map<string, Array<string | number>>();
    for (const leg of changed) {
      let args = byExtension.get(leg.extensionId);
      if (!args) {
        args = [this.channels.legChanged(leg.extensionId)];
        byExtension.set(leg.extensionId, args);
      }
      args.push(`${leg.telephonySessionId}:${leg.partyId}`, JSON.stringify(leg), leg.ended ? '1' : '0');
    }
    const states: string[] = [];
    if (byExtension.size > 0) {
      const pipeline = this.redis.pipeline();
      for (const [extensionId, args] of byExtension) {
        const { extensionActiveLegs, extensionLiveVersion } = this.keys;
        this.applyLegs.run(pipeline, [extensionActiveLegs(extensionId), extensionLiveVersion(extensionId)], args);
      }
      const results = (await pipeline.exec()) ?? [];
      let index = 0;
      for (const extensionId of byExtension.keys()) {
        const [err, reply] = results[index++] ?? [new Error('no reply to a live-board write')];
        if (err) throw err;
        const [version, ...statuses] = reply as string[];
        states.push(extensionId, String(version), agentStateOf(statuses));
      }
    }
    const pipeline = this.redis.pipeline();
    if (states.length > 0) {
      this.writeStates.run(pipeline, [this.keys.agentStates, this.keys.agentStateVersions], [this.channels.summaryChanged, ...states]);
    }
    // A mark's reply is the last of what queueBoardApplied queued.
    const replyAt = marks.map((mark) => {
      this.marker?.queueBoardApplied(pipeline, mark.telephonySessionId, mark.rev);
      return pipeline.length - 1;
    });
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) {
      // The marks went out with the agent states: one that failed must not leave a session marked as shown. Forgotten
      // marks make the next redelivery (or apply) of those sessions rewrite their board.
      await Promise.all(marks.map((mark) => this.marker?.forgetBoardApplied(mark.telephonySessionId)));
      throw failed[0];
    }
    return replyAt.map((at) => Number(results[at]?.[1]));
  }
}
