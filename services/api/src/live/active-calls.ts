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

export function activeCallFromSnapshot(leg: LiveLegSnapshot): ActiveCallNode {
  return {
    telephonySessionId: leg.telephonySessionId,
    partyId: leg.partyId,
    extensionId: leg.extensionId,
    accountId: leg.accountId,
    direction: leg.direction,
    status: leg.status,
    statusCode: leg.statusCode,
    statusSince: isoInstant(leg.statusSinceMs),
    from: leg.from,
    to: leg.to,
    queueId: leg.queueId,
    queueName: leg.queueName,
    startTime: isoInstant(leg.startMs),
    ringStartTime: isoInstantOrNull(leg.ringStartMs),
    answerTime: isoInstantOrNull(leg.answerMs),
    endTime: isoInstantOrNull(leg.endMs),
    ringMs: leg.ringMs,
    talkMs: leg.talkMs,
    holdMs: leg.holdMs,
    holdCount: leg.holdCount,
    ended: leg.ended,
    result: leg.result,
    endedBy: leg.endedBy,
    // Snapshots written before these were read have neither.
    muted: leg.muted === true,
    conferenceRole: leg.conferenceRole ?? null,
    updatedAt: isoInstant(leg.updatedAtMs),
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
