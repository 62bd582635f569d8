// The live board in Redis: each extension's active legs, each monitored agent's state, and the pub/sub messages the
// API turns into GraphQL subscriptions (channel names in packages/shared/src/redis-keys.ts, README "Live updates").
import type { AgentState, LiveLegSnapshot, Redis, RedisChannels, RedisKeys } from '@callpulse/shared';
import { agentState } from './snapshot.js';

export class LiveBoard {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly channels: RedisChannels,
  ) {}

  /** Applies changed leg snapshots: index, agent states, and one message per change. */
  async apply(changed: LiveLegSnapshot[]): Promise<void> {
    if (changed.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const leg of changed) {
      const key = this.keys.extensionActiveLegs(leg.extensionId);
      const field = `${leg.telephonySessionId}:${leg.partyId}`;
      if (leg.ended) pipeline.hdel(key, field);
      else pipeline.hset(key, field, JSON.stringify(leg));
      pipeline.publish(this.channels.legChanged(leg.extensionId), JSON.stringify(leg));
    }
    await pipeline.exec();
    await this.refreshAgentStates(new Set(changed.map((leg) => leg.extensionId)));
  }

  private async refreshAgentStates(extensionIds: Set<string>): Promise<void> {
    const ids = [...extensionIds];
    const [activeLegs, previous] = await Promise.all([
      Promise.all(ids.map((id) => this.redis.hvals(this.keys.extensionActiveLegs(id)))),
      this.redis.hmget(this.keys.agentStates, ...ids),
    ]);
    const updates: string[] = [];
    ids.forEach((id, index) => {
      const state: AgentState = agentState((activeLegs[index] ?? []).map((value) => JSON.parse(value) as LiveLegSnapshot));
      if (state !== (previous[index] ?? 'idle')) updates.push(id, state);
    });
    if (updates.length === 0) return;
    await this.redis.hset(this.keys.agentStates, ...updates);
    await this.redis.publish(this.channels.summaryChanged, JSON.stringify({ changed: updates.length / 2 }));
  }
}
