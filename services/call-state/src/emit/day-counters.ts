// Today's counters per extension (Redis hash per extension and UTC day): calls by result and direction, and sums of
// ring, talk and hold. An amended leg replaces its earlier contribution, so the counters stay exact.
import type { CompletedLegRecord, Redis, RedisKeys } from '@callpulse/shared';

const DAY_COUNTER_TTL_S = 3 * 24 * 60 * 60;

/** The fields of a completed leg that today's counters add up: kept with what was emitted, to take it back later. */
export type CountedLeg = Pick<CompletedLegRecord, 'extensionId' | 'startMs' | 'result' | 'direction' | 'ringMs' | 'talkMs' | 'holdMs'>;

export function countedLeg(record: CompletedLegRecord): CountedLeg {
  const { extensionId, startMs, result, direction, ringMs, talkMs, holdMs } = record;
  return { extensionId, startMs, result, direction, ringMs, talkMs, holdMs };
}

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

export function countLeg(
  pipeline: ReturnType<Redis['pipeline']>,
  keys: RedisKeys,
  record: CountedLeg,
  previous: CountedLeg | undefined,
): void {
  const key = keys.extensionDayCounters(record.extensionId, dayOf(record.startMs));
  if (previous) {
    const previousKey = keys.extensionDayCounters(previous.extensionId, dayOf(previous.startMs));
    for (const [field, value] of Object.entries(contribution(previous))) if (value !== 0) pipeline.hincrby(previousKey, field, -value);
  }
  for (const [field, value] of Object.entries(contribution(record))) if (value !== 0) pipeline.hincrby(key, field, value);
  pipeline.expire(key, DAY_COUNTER_TTL_S);
}
