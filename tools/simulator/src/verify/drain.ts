// Waits until the pipeline has drained for the truth's sessions (the rule is drain-rule.ts): call-state has committed
// past the end offsets of telephony-sessions taken when verify started, no emission is pending for the truth's
// sessions, reporting has committed past completed-calls' offsets after that, and the rows stopped changing.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisKeys, Topics } from '@callpulse/contracts';
import type { Admin, ClickHouseClient, Redis } from '@callpulse/platform';
import { type DrainState, drainStep, type PartitionCommit, type PartitionEnd, startDrain } from './drain-rule.js';
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
  /** Messages of telephony-sessions written before verify started that call-state has not committed yet. */
  callStateBehind: number;
  /** Records of completed-calls up to reporting's mark it has not committed yet (undefined: call-state not done yet). */
  reportingBehind: number | undefined;
  pendingEmissions: number | undefined;
  legs: number;
  sessions: number;
}

export interface DrainResult {
  drained: boolean;
  waitedMs: number;
  status: DrainStatus;
}

/** A topic's end offsets, with an error naming it (and the usual cause) when it cannot be read. */
export async function topicEnds(admin: Admin, topic: string): Promise<PartitionEnd[]> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, high, low }) => ({ partition, high: Number(high), low: Number(low) }));
  } catch (err) {
    throw new Error(`cannot read the offsets of topic ${topic} (does it exist? check --topic-prefix): ${(err as Error).message}`);
  }
}

export async function groupCommits(admin: Admin, groupId: string, topic: string): Promise<PartitionCommit[]> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (committed?.partitions ?? []).map(({ partition, offset }) => ({ partition, offset: Number(offset) }));
}

/** Messages of `topic` the group has not committed yet (all of them when it committed nothing). */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, commits] = await Promise.all([topicEnds(admin, topic), groupCommits(admin, groupId, topic)]);
  return ends.reduce((lag, { partition, high, low }) => {
    const offset = commits.find((entry) => entry.partition === partition)?.offset ?? -1;
    return lag + high - Math.max(offset, low);
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

async function observe(probe: DrainProbe, sessionIds: readonly string[]) {
  const [callStateCommitted, completedEnds, reportingCommitted, pendingEmissions, rows] = await Promise.all([
    groupCommits(probe.admin, probe.callStateGroup, probe.topics.telephonySessions),
    topicEnds(probe.admin, probe.topics.completedCalls),
    groupCommits(probe.admin, probe.reportingGroup, probe.topics.completedCalls),
    probe.redis ? pendingFor(probe.redis, sessionIds) : Promise.resolve(undefined),
    countRows(probe.clickhouse, probe.database, sessionIds),
  ]);
  return {
    seen: {
      atMs: Date.now(),
      callStateCommitted,
      completedEnds,
      reportingCommitted,
      pendingEmissions,
      rowsFingerprint: `${rows.legs}|${rows.legVersions}|${rows.sessions}|${rows.sessionVersions}`,
    },
    rows,
  };
}

/**
 * Takes telephony-sessions' end offsets now, then polls until drained for `settleMs`, or until `timeoutMs` (then
 * drained is false). A poll that fails (a server restarting) is retried until the timeout.
 */
export async function waitForDrain(
  probe: DrainProbe,
  sessionIds: readonly string[],
  timing: { timeoutMs: number; settleMs: number; pollMs: number },
  onStatus?: (status: DrainStatus) => void,
  signal?: AbortSignal,
): Promise<DrainResult> {
  const startedAt = Date.now();
  let state: DrainState = startDrain(await topicEnds(probe.admin, probe.topics.telephonySessions), startedAt);
  let status: DrainStatus = { callStateBehind: -1, reportingBehind: undefined, pendingEmissions: undefined, legs: 0, sessions: 0 };
  let lastError: Error | undefined;
  for (;;) {
    try {
      const { seen, rows } = await observe(probe, sessionIds);
      const verdict = drainStep(state, seen, timing.settleMs);
      state = verdict.state;
      status = {
        callStateBehind: verdict.callStateBehind,
        reportingBehind: verdict.reportingBehind,
        pendingEmissions: seen.pendingEmissions,
        legs: rows.legs,
        sessions: rows.sessions,
      };
      lastError = undefined;
      onStatus?.(status);
      if (verdict.drained) return { drained: true, waitedMs: Date.now() - startedAt, status };
    } catch (err) {
      lastError = err as Error;
    }
    if (Date.now() - startedAt >= timing.timeoutMs || signal?.aborted) {
      if (lastError) throw new Error(`the pipeline could not be observed: ${lastError.message}`);
      return { drained: false, waitedMs: Date.now() - startedAt, status };
    }
    await sleep(timing.pollMs, undefined, { signal }).catch(() => undefined);
  }
}
