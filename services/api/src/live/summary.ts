// The live summary of the monitored agents from their states (pure), and reading what it needs from Redis.
import type { AgentState, LiveSummary, RedisKeys } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';
import { readMonitored } from './monitored.js';

const CHUNK = 1000;

/** Counts agents by state (a missing state is idle) and the distinct calls among their active legs. */
export function liveSummaryOf(states: Array<string | null>, activeLegFields: string[][]): LiveSummary {
  const summary: LiveSummary = { total: states.length, idle: 0, ringing: 0, talking: 0, onHold: 0, voicemail: 0, activeCalls: 0 };
  for (const state of states) {
    const known = (['ringing', 'talking', 'onHold', 'voicemail'] as AgentState[]).includes(state as AgentState);
    summary[known ? (state as Exclude<AgentState, 'idle'>) : 'idle'] += 1;
  }
  const calls = new Set<string>();
  // Fields are `${telephonySessionId}:${partyId}`; telephony session ids contain no colon.
  for (const fields of activeLegFields) for (const field of fields) calls.add(field.slice(0, field.indexOf(':')));
  summary.activeCalls = calls.size;
  return summary;
}

export async function readLiveSummary(redis: Redis, keys: RedisKeys): Promise<LiveSummary> {
  const { ids } = await readMonitored(redis, keys);
  const states: Array<string | null> = [];
  const fields: string[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const pipeline = redis.pipeline();
    for (const id of part) pipeline.hkeys(keys.extensionActiveLegs(id));
    const [partStates, partFields] = await Promise.all([redis.hmget(keys.agentStates, ...part), pipeline.exec()]);
    states.push(...partStates);
    for (const [err, value] of partFields ?? []) {
      if (err) throw err;
      fields.push(value as string[]);
    }
  }
  return liveSummaryOf(states, fields);
}
