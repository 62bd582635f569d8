// Active legs from the live board (each extension's hash of active leg snapshots), as the API's ActiveCall type.
import type { LiveEndpoint, LiveLegSnapshot, RedisKeys } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';
import { isoInstant, isoInstantOrNull } from '../history/time-range.js';
import { readMonitored } from './monitored.js';

export interface ActiveCallNode {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  accountId: string | null;
  direction: string | null;
  status: string;
  statusCode: string;
  statusSince: string;
  from: LiveEndpoint;
  to: LiveEndpoint;
  queueId: string | null;
  queueName: string | null;
  startTime: string;
  ringStartTime: string | null;
  answerTime: string | null;
  endTime: string | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  ended: boolean;
  result: string | null;
  endedBy: string | null;
  muted: boolean;
  conferenceRole: string | null;
  updatedAt: string;
}

/** The snapshot as the API shows it: its epoch-ms times as ISO instants, the rest as it is. */
export function activeCallFromSnapshot(leg: LiveLegSnapshot): ActiveCallNode {
  const { statusSinceMs, startMs, ringStartMs, answerMs, endMs, updatedAtMs, lastSequence, muted, conferenceRole, ...asIs } = leg;
  return {
    ...asIs,
    statusSince: isoInstant(statusSinceMs),
    startTime: isoInstant(startMs),
    ringStartTime: isoInstantOrNull(ringStartMs),
    answerTime: isoInstantOrNull(answerMs),
    endTime: isoInstantOrNull(endMs),
    // Snapshots written before these were read have neither.
    muted: muted === true,
    conferenceRole: conferenceRole ?? null,
    updatedAt: isoInstant(updatedAtMs),
  };
}

/** Active legs of the given extensions (all monitored ones when none are given), oldest first. */
export async function readActiveCalls(redis: Redis, keys: RedisKeys, extensionIds?: readonly string[] | null): Promise<ActiveCallNode[]> {
  const ids = extensionIds ?? (await readMonitored(redis, keys)).ids;
  const pipeline = redis.pipeline();
  for (const id of new Set(ids)) pipeline.hvals(keys.extensionActiveLegs(id));
  const results = ids.length === 0 ? [] : ((await pipeline.exec()) ?? []);
  const legs: LiveLegSnapshot[] = [];
  for (const [err, values] of results) {
    if (err) throw err;
    for (const value of values as string[]) legs.push(JSON.parse(value) as LiveLegSnapshot);
  }
  legs.sort(
    (a, b) => a.startMs - b.startMs || a.telephonySessionId.localeCompare(b.telephonySessionId) || a.partyId.localeCompare(b.partyId),
  );
  return legs.map(activeCallFromSnapshot);
}
