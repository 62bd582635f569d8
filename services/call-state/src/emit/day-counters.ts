// Today's counters per extension (Redis hash per extension and UTC day): calls by result and direction, and sums of
// ring, talk and hold. An amended leg replaces its earlier contribution, so the counters stay exact. Legs that are no
// call an agent handled (nonCallResults: a received fax, a redirected ring, a supervisor's party) are not counted.
import { nonCallResults, type RedisKeys } from '@callpulse/contracts';
import { type ChainableCommander, defineLuaScript, type LuaScript, type Redis } from '@callpulse/platform';
import type { CountedLeg } from '../store/emitted.js';

const DAY_COUNTER_TTL_S = 3 * 24 * 60 * 60;

function contribution(record: CountedLeg): Record<string, number> {
  return {
    calls: 1,
    [`result:${record.result}`]: 1,
    [`direction:${record.direction}`]: 1,
    ringMs: record.ringMs,
    talkMs: record.talkMs,
    holdMs: record.holdMs,
  };
}

export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** KEYS: the day's counters. ARGV: TTL seconds, then field, increment, ... */
const addLua = `
for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

function increments(record: CountedLeg, sign: 1 | -1): Array<string | number> {
  return Object.entries(contribution(record)).flatMap(([field, value]) => (value === 0 ? [] : [field, sign * value]));
}

/** Adds completed legs to today's counters, one script per leg (an amended leg first takes its earlier part back). */
export class DayCounters {
  private readonly add: LuaScript;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.add = defineLuaScript(redis, 'callpulseAddDayCounters', 1, addLua);
  }

  count(pipeline: ChainableCommander, record: CountedLeg, previous: CountedLeg | undefined): void {
    const key = (leg: CountedLeg) => this.keys.extensionDayCounters(leg.extensionId, dayOf(leg.startMs));
    const counts = (leg: CountedLeg) => !nonCallResults.includes(leg.result);
    if (previous && counts(previous)) this.add.run(pipeline, [key(previous)], [DAY_COUNTER_TTL_S, ...increments(previous, -1)]);
    if (counts(record)) this.add.run(pipeline, [key(record)], [DAY_COUNTER_TTL_S, ...increments(record, 1)]);
  }
}
