// Waits until the pipeline has drained for the truth's sessions: both consumer groups have no lag, call-state has no
// emission pending for them, and the rows in ClickHouse have stopped changing for a while.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ClickHouseClient, Redis, RedisKeys, Topics } from '@callpulse/shared';
import { countRows } from './rows.js';

export interface DrainProbe {
  admin: Admin;
  topics: Topics;
  callStateGroup: string;
  reportingGroup: string;
  /** When given, sessions with a completed record still due in call-state (`pendingEmissions`) count as not drained. */
  redis: { client: Redis; keys: RedisKeys } | undefined;
  clickhouse: ClickHouseClient;
  database: string;
}

export interface DrainStatus {
  callStateLag: number;
  reportingLag: number;
  pendingEmissions: number | undefined;
  legs: number;
  sessions: number;
}

export interface DrainResult {
  drained: boolean;
  waitedMs: number;
  status: DrainStatus;
}

/** Messages of `topic` the group has not committed yet (all of them when it committed nothing). */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  let ends: Array<{ partition: number; high: string; low: string }>;
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } catch (err) {
    throw new Error(`cannot read the offsets of topic ${topic} (does it exist? check --topic-prefix): ${(err as Error).message}`);
  }
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.reduce((lag, { partition, high, low }) => {
    const offset = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
    return lag + Number(high) - Math.max(offset, Number(low));
  }, 0);
}

async function pendingFor(redis: { client: Redis; keys: RedisKeys }, sessionIds: readonly string[]): Promise<number> {
  let pending = 0;
  for (let i = 0; i < sessionIds.length; i += 1000) {
    const scores = await redis.client.zmscore(redis.keys.pendingEmissions, ...sessionIds.slice(i, i + 1000));
    pending += scores.filter((score) => score !== null).length;
  }
  return pending;
}

export async function probeDrain(probe: DrainProbe, sessionIds: readonly string[]) {
  const [callStateLag, reportingLag, pendingEmissions, rows] = await Promise.all([
    groupLag(probe.admin, probe.callStateGroup, probe.topics.telephonySessions),
    groupLag(probe.admin, probe.reportingGroup, probe.topics.completedCalls),
    probe.redis ? pendingFor(probe.redis, sessionIds) : Promise.resolve(undefined),
    countRows(probe.clickhouse, probe.database, sessionIds),
  ]);
  const status: DrainStatus = { callStateLag, reportingLag, pendingEmissions, legs: rows.legs, sessions: rows.sessions };
  const fingerprint = `${rows.legs}|${rows.legVersions}|${rows.sessions}|${rows.sessionVersions}`;
  return { status, fingerprint, quiet: callStateLag === 0 && reportingLag === 0 && (pendingEmissions ?? 0) === 0 };
}

/** Polls until quiet and unchanged for `settleMs`, or until `timeoutMs` (then drained is false). */
export async function waitForDrain(
  probe: DrainProbe,
  sessionIds: readonly string[],
  timing: { timeoutMs: number; settleMs: number; pollMs: number },
  onStatus?: (status: DrainStatus) => void,
  signal?: AbortSignal,
): Promise<DrainResult> {
  const startedAt = Date.now();
  let lastFingerprint = '';
  let stableSince = startedAt;
  for (;;) {
    const { status, fingerprint, quiet } = await probeDrain(probe, sessionIds);
    onStatus?.(status);
    const now = Date.now();
    if (!quiet || fingerprint !== lastFingerprint) stableSince = now;
    lastFingerprint = fingerprint;
    if (quiet && now - stableSince >= timing.settleMs) return { drained: true, waitedMs: now - startedAt, status };
    if (now - startedAt >= timing.timeoutMs || signal?.aborted) return { drained: false, waitedMs: now - startedAt, status };
    await sleep(timing.pollMs, undefined, { signal }).catch(() => undefined);
  }
}
