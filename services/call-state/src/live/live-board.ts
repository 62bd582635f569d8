// The live board in Redis: each extension's active legs, each monitored agent's state, and the pub/sub messages the
// API turns into GraphQL subscriptions (channel names in packages/contracts/src/redis-keys.ts, README "Live updates").
//
// Several workers (and the partitions one worker consumes concurrently) may change legs of one extension at once. So
// each extension's change is one script that also bumps the extension's live version and returns the legs it left;
// the agent state computed from those legs is written only if no newer version was written first. The state may
// trail its leg by one round trip, but it never settles on a state older than the legs.
import { type AgentState, busiestLeg, type LiveLegSnapshot, type RedisChannels, type RedisKeys } from '@callpulse/contracts';
import { defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';

/** KEYS: active legs hash, live version. ARGV: field, snapshot JSON ('' deletes), ... Returns [version, ...legs]. */
const applyLegsScript = `
for i = 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
local version = redis.call('INCR', KEYS[2])
local legs = redis.call('HVALS', KEYS[1])
table.insert(legs, 1, tostring(version))
return legs`;

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

export class LiveBoard {
  private readonly applyLegs: LuaScript;
  private readonly writeStates: LuaScript;
  private queued: LiveLegSnapshot[] = [];
  private nextWrite: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly channels: RedisChannels,
  ) {
    this.applyLegs = defineLuaScript(redis, 'callpulseApplyExtensionLegs', 2, applyLegsScript);
    this.writeStates = defineLuaScript(redis, 'callpulseWriteAgentStates', 2, writeStatesScript);
  }

  /**
   * Applies changed leg snapshots: index, agent states, and one message per change. The changes of the sessions
   * whose Redis replies arrived together (queued before the current microtask checkpoint ends) share one write: one
   * script per extension, one agent-state script. Each caller's promise settles with that write.
   */
  apply(changed: LiveLegSnapshot[]): Promise<void> {
    if (changed.length === 0) return Promise.resolve();
    this.queued.push(...changed);
    this.nextWrite ??= new Promise<void>((resolve, reject) => {
      queueMicrotask(() => {
        const batch = this.queued;
        this.queued = [];
        this.nextWrite = undefined;
        this.write(batch).then(resolve, reject);
      });
    });
    return this.nextWrite;
  }

  private async write(changed: LiveLegSnapshot[]): Promise<void> {
    const byExtension = new Map<string, string[]>();
    const messages: Array<[string, string]> = [];
    for (const leg of changed) {
      const json = JSON.stringify(leg);
      const args = byExtension.get(leg.extensionId) ?? [];
      args.push(`${leg.telephonySessionId}:${leg.partyId}`, leg.ended ? '' : json);
      byExtension.set(leg.extensionId, args);
      messages.push([this.channels.legChanged(leg.extensionId), json]);
    }
    const extensionIds = [...byExtension.keys()];
    const pipeline = this.redis.pipeline();
    for (const [extensionId, args] of byExtension) {
      const { extensionActiveLegs, extensionLiveVersion } = this.keys;
      this.applyLegs.run(pipeline, [extensionActiveLegs(extensionId), extensionLiveVersion(extensionId)], args);
    }
    for (const [channel, json] of messages) pipeline.publish(channel, json);
    const results = (await pipeline.exec()) ?? [];

    const states: string[] = [];
    extensionIds.forEach((extensionId, index) => {
      const [err, reply] = results[index] ?? [new Error('no reply')];
      if (err) throw err;
      const [version, ...legs] = reply as string[];
      const state: AgentState = busiestLeg(legs.map((value) => JSON.parse(value) as LiveLegSnapshot)).state;
      states.push(extensionId, String(version), state);
    });
    const stateKeys = [this.keys.agentStates, this.keys.agentStateVersions];
    await this.writeStates.run(this.redis, stateKeys, [this.channels.summaryChanged, ...states]);
  }
}
