// Part 2, call-state: events/s through a backlog already in Kafka, until the group's committed offsets reach the end
// of the topic and every completed record the backlog owes is on the completed-calls topic. The main backlog is
// interleaved as live traffic is (interleave.ts: more active sessions than a worker's cache, a session's events far
// apart, uncompressed as ingest writes), drained by one worker and by two; the call-by-call backlog (a session's
// events together: the best case) by one. For each run: CPU µs per event of the workers, events per apply (the
// worker's /metrics) and Redis commands per event (INFO commandstats, delta over the run).

import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames } from '@callpulse/contracts';
import { createRedis, ensureTopics, type Kafka } from '@callpulse/platform';
import { type Figure, figure, type PartResult, type RunTable } from '../report/result.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter } from '../support/cpu.js';
import { servers } from '../support/env.js';
import { isolate } from '../support/isolation.js';
import { benchKafka, committedOffset, endOffset, withAdmin } from '../support/kafka.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { cpuMicrosPerUnit, processCpuSeconds, ratioOf, sumCpu } from '../support/process-cpu.js';
import { counterValue, fetchMetrics } from '../support/prometheus-text.js';
import { deleteKeysByPrefix } from '../support/redis.js';
import { commandsDelta, describeCommands, readCommandStats } from '../support/redis-commandstats.js';
import { type RunningService, startService } from '../support/services.js';
import { round } from '../support/stats.js';
import type { ExpectedRecords } from '../traffic/backlog-messages.js';
import { produceBacklog } from '../traffic/bulk-produce.js';
import { awaitEmission, type EmissionSeen, partitionEnds } from '../traffic/emission-drain.js';
import { produceInterleavedBacklog } from '../traffic/interleaved-backlog.js';

const PARTITIONS = 12;
/** Agent extensions of the call-by-call backlog (one call at a time: a few legs per extension at most). */
const CALL_BY_CALL_EXTENSIONS = 200;
/** Calls in progress at once in the interleaved backlog: their sessions outnumber CALL_STATE_CACHE_SESSIONS (20,000). */
const ACTIVE_CALLS = Number(process.env.BENCH_CALL_STATE_ACTIVE_CALLS || 24000);
/** Agent extensions of the interleaved backlog: about as many as calls in progress, so an agent has a few at a time. */
const INTERLEAVED_EXTENSIONS = ACTIVE_CALLS;
/** After the committed end, how long the owed records may take to appear before the run is said not drained. */
const EMISSION_WAIT_MS = 120000;
const GOAL_EVENTS_PER_WORKER = 25000;
const GOAL_CPU_MICROS_PER_EVENT = 40;
/** The floor worker (floor/call-state-floor.ts): the clients' own cost per event, no call model. */
const FLOOR_SCRIPT = 'tools/bench/dist/floor/call-state-floor.js';
type FloorLevel = 'consume' | 'decode' | 'store';

interface Drain {
  label: string;
  /** A floor run's level (no records owed, no call model). */
  floor?: FloorLevel;
  workers: number;
  /** Events in the topic (all consumed by the run's fresh group). */
  events: number;
  /** Events committed after every worker was ready, and the seconds from then to the committed end. */
  timedEvents: number;
  committedSeconds: number;
  /** From every worker ready to the last owed record on the completed-calls topic (or the committed end if later). */
  drainedSeconds: number | null;
  emission: EmissionSeen;
  cpuMicrosPerEvent: number | null;
  eventsPerApply: number | null;
  /** Session look-ups answered by the workers' caches / all look-ups (null: a build without the counter). */
  cacheHitRate: number | null;
  appliedEvents: number | null;
  redisCommandsPerEvent: number | null;
  redisTop: string;
  /** CPU shares of the workers and the servers while draining. */
  cpu: string;
}

interface Backlog {
  /** The topic prefix call-state runs with: its telephony topic holds the backlog, its completed-calls topic gets the records. */
  topicPrefix: string;
  topic: string;
  expected: ExpectedRecords;
}

async function drain(
  context: BenchContext,
  kafka: Kafka,
  run: { label: string; workers: number; key: string; floor?: FloorLevel },
  backlog: Backlog,
  redisRoot: string,
  redisServer: { url: string; pid: number | undefined },
): Promise<Drain> {
  const { topicPrefix } = backlog;
  const groupId = `${topicPrefix}call-state-${run.key}`;
  const redisPrefix = `${redisRoot}${run.key}:`;
  const completedTopic = topicNames(topicPrefix).completedCalls;
  const redis = createRedis(redisServer.url);
  const started: RunningService[] = [];
  try {
    const from = await withAdmin(kafka, (admin) => partitionEnds(admin, completedTopic));
    const commandsBefore = await readCommandStats(redis);
    started.push(
      ...(await Promise.all(
        Array.from({ length: run.workers }, (_unused, index) =>
          startService(
            context,
            'call-state',
            { topicPrefix, redisPrefix },
            {
              label: `-${run.key}-${index + 1}`,
              env: { CALL_STATE_GROUP_ID: groupId, REDIS_URL: redisServer.url, ...(run.floor ? { FLOOR_LEVEL: run.floor } : {}) },
              ...(run.floor ? { script: FLOOR_SCRIPT } : {}),
            },
          ),
        ),
      )),
    );
    const meter = startCpuMeter({
      ...Object.fromEntries(started.map((service) => [service.child.name, service.child.pid])),
      ...(redisServer.pid === undefined ? {} : { 'redis (own)': redisServer.pid }),
    });
    const timed = await withAdmin(kafka, async (admin) => {
      const end = await endOffset(admin, backlog.topic);
      const t0 = performance.now();
      const t0Epoch = Date.now();
      const c0 = await committedOffset(admin, groupId, backlog.topic);
      const deadline = t0 + Math.max(600000, 2 * end); // 2 ms per event (500/s), at least 10 minutes
      let committed = c0;
      let lastLog = t0;
      while (committed < end) {
        if (performance.now() > deadline) throw new Error(`${run.label}: committed ${committed} of ${end} before the deadline`);
        await sleep(100);
        committed = await committedOffset(admin, groupId, backlog.topic);
        if (performance.now() - lastLog > 10000) {
          lastLog = performance.now();
          context.log(`${run.label}: ${committed} of ${end} committed`);
        }
      }
      const committedSeconds = (performance.now() - t0) / 1000;
      const committedEpoch = t0Epoch + committedSeconds * 1000;
      return { end, c0, t0Epoch, committedSeconds, committedEpoch };
    });
    // A floor worker emits nothing: its clock stops at the committed end.
    const emission: EmissionSeen = run.floor
      ? { legs: 0, summaries: 0, missingLegs: 0, missingSummaries: 0, records: 0, lastAtMs: timed.committedEpoch }
      : await (async () => {
          context.log(`${run.label}: offsets committed in ${timed.committedSeconds.toFixed(1)} s; waiting for the owed records`);
          return awaitEmission(kafka, completedTopic, from, backlog.expected, EMISSION_WAIT_MS);
        })();
    const cpuShares = meter.stop();
    // Each worker's CPU over its whole life, start-up included (so the cost per event is not flattered).
    const lifeCpu = started.map((service) => processCpuSeconds(service.child.pid));
    const commandsAfter = await readCommandStats(redis);
    const metrics = await Promise.all(started.map((service) => fetchMetrics(service.url)));

    const applied = sumCounters(
      metrics.map((text) => (text === null ? null : counterValue(text, 'callpulse_call_state_events_total', { outcome: 'applied' }))),
    );
    const applies = sumCounters(metrics.map((text) => (text === null ? null : counterValue(text, 'callpulse_call_state_applies_total'))));
    // A worker that had no hit (or no miss) has no series for it: 0, when its build has the counter at all.
    const cacheRead = (result: string) =>
      sumCounters(
        metrics.map((text) =>
          text?.includes('callpulse_call_state_cache_reads_total')
            ? (counterValue(text, 'callpulse_call_state_cache_reads_total', { result }) ?? 0)
            : null,
        ),
      );
    const hits = cacheRead('hit');
    const misses = cacheRead('miss');
    const commands = commandsDelta(commandsBefore, commandsAfter);
    const drainedEpoch = emission.lastAtMs === null ? null : Math.max(emission.lastAtMs, timed.committedEpoch);
    return {
      label: run.label,
      ...(run.floor ? { floor: run.floor } : {}),
      workers: run.workers,
      events: timed.end,
      timedEvents: timed.end - timed.c0,
      committedSeconds: timed.committedSeconds,
      drainedSeconds: drainedEpoch === null ? null : (drainedEpoch - timed.t0Epoch) / 1000,
      emission,
      cpuMicrosPerEvent: cpuMicrosPerUnit(sumCpu(lifeCpu), timed.end),
      eventsPerApply: ratioOf(applied, applies),
      cacheHitRate: hits === null || misses === null ? null : ratioOf(hits, hits + misses),
      appliedEvents: applied,
      redisCommandsPerEvent: ratioOf(commands.total, timed.end),
      redisTop: describeCommands(commands),
      cpu: cpuShares,
    };
  } finally {
    // Also when the run failed: a worker left running would take CPU from the next run.
    for (const service of started) await service.child.stop();
    await deleteKeysByPrefix(redis, redisPrefix).catch(() => undefined);
    redis.disconnect();
  }
}

function sumCounters(values: (number | null)[]): number | null {
  return values.some((value) => value === null) ? null : values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

const perSecond = (events: number, seconds: number | null) => (seconds === null || seconds <= 0 ? null : events / seconds);

function tableOf(drains: Drain[]): RunTable {
  return {
    title: 'call-state runs',
    columns: [
      'run',
      'events',
      'events/s (offsets committed)',
      'events/s (emission drained)',
      'per worker (drained)',
      'CPU µs/event',
      'events/apply',
      'Redis cmds/event',
    ],
    rows: drains.map((run) => {
      const drained = perSecond(run.timedEvents, run.drainedSeconds);
      return [
        run.label,
        run.events,
        round(perSecond(run.timedEvents, run.committedSeconds), 0),
        round(drained, 0),
        round(drained === null ? null : drained / run.workers, 0),
        round(run.cpuMicrosPerEvent, 1),
        round(run.eventsPerApply, 2),
        round(run.redisCommandsPerEvent, 2),
      ];
    }),
  };
}

function figuresOf(part: string, run: Drain, withGoals: boolean): Figure[] {
  const drained = perSecond(run.timedEvents, run.drainedSeconds);
  const perWorker = drained === null ? null : drained / run.workers;
  const goal = <T>(value: T) => (withGoals ? value : undefined);
  // A floor run owes no records: its events/s are to the committed end, and it has no applies to count.
  if (run.floor)
    return [
      figure(part, `events/s, ${run.label} (offsets committed)`, round(perSecond(run.timedEvents, run.committedSeconds), 0), '/s'),
      figure(part, `CPU µs per event, ${run.label}`, round(run.cpuMicrosPerEvent, 1), 'µs'),
      figure(part, `Redis commands per event, ${run.label}`, round(run.redisCommandsPerEvent, 2), ''),
    ];
  const figures = [
    figure(part, `events/s per worker, ${run.label} (emission drained)`, round(perWorker, 0), '/s', {
      goal: goal({ op: '>=', value: GOAL_EVENTS_PER_WORKER }),
    }),
  ];
  if (run.workers > 1) figures.push(figure(part, `events/s total, ${run.label} (emission drained)`, round(drained, 0), '/s'));
  figures.push(
    figure(part, `events/s, ${run.label} (offsets committed)`, round(perSecond(run.timedEvents, run.committedSeconds), 0), '/s'),
    figure(part, `CPU µs per event, ${run.label}`, round(run.cpuMicrosPerEvent, 1), 'µs', {
      goal: goal({ op: '<=', value: GOAL_CPU_MICROS_PER_EVENT }),
    }),
    figure(part, `events per apply, ${run.label}`, round(run.eventsPerApply, 2), ''),
    figure(part, `Redis commands per event, ${run.label}`, round(run.redisCommandsPerEvent, 2), ''),
  );
  return figures;
}

function describeDrain(run: Drain): string {
  const { emission } = run;
  const emitted = run.floor
    ? `a floor worker (${run.floor}): no records owed, timed to the committed end`
    : emission.lastAtMs === null
      ? `NOT DRAINED: ${emission.missingLegs} legs and ${emission.missingSummaries} summaries owed were not on the completed-calls topic ${EMISSION_WAIT_MS / 1000} s after the committed end (events/s drained is n/a)`
      : `the last owed record ${Math.max(0, (run.drainedSeconds ?? 0) - run.committedSeconds).toFixed(1)} s after the committed end (${emission.legs} legs and ${emission.summaries} summaries owed, ${emission.records} records read)`;
  return `${run.label}: ${run.timedEvents} events timed (${run.events} in the topic), offsets committed in ${run.committedSeconds.toFixed(1)} s, ${emitted}; events applied ${run.appliedEvents ?? 'n/a'}, events per apply ${run.eventsPerApply === null ? 'n/a (the worker has no callpulse_call_state_applies_total)' : run.eventsPerApply.toFixed(2)}, session cache hits ${run.cacheHitRate === null ? 'n/a' : `${(run.cacheHitRate * 100).toFixed(1)} %`} of look-ups; Redis commands (delta over the run): ${run.redisTop}; CPU (share of one core): ${run.cpu}`;
}

export async function runCallState(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  // BENCH_CALL_STATE_EVENTS sets both backlogs' size (e.g. a small smoke run of the method on a busy machine).
  const sized = Number(process.env.BENCH_CALL_STATE_EVENTS) || undefined;
  const interleavedEvents = sized ?? (context.quick ? 300000 : 1000000);
  const callByCallEvents = sized ?? (context.quick ? 100000 : 1000000);
  const isolation = isolate(context, 'callstate');
  const callByCallPrefix = `${isolation.topicPrefix}cbc.`;
  const interleavedTopic = topicNames(isolation.topicPrefix).telephonySessions;
  const callByCallTopic = topicNames(callByCallPrefix).telephonySessions;
  const kafka = benchKafka();
  await ensureTopics(kafka, [
    { topic: interleavedTopic, numPartitions: PARTITIONS },
    { topic: callByCallTopic, numPartitions: PARTITIONS },
  ]);
  context.log(`producing an interleaved backlog of ${interleavedEvents} events (${ACTIVE_CALLS} calls in progress)`);
  const interleaved = await produceInterleavedBacklog(kafka, interleavedTopic, interleavedEvents, INTERLEAVED_EXTENSIONS, ACTIVE_CALLS);
  context.log(`interleaved backlog: ${interleaved.events} events (${interleaved.calls} calls) in ${interleaved.seconds.toFixed(1)} s`);
  context.log(`producing a call-by-call backlog of ${callByCallEvents} events`);
  const callByCall = await produceBacklog(kafka, callByCallTopic, callByCallEvents, CALL_BY_CALL_EXTENSIONS, 'none');
  context.log(`call-by-call backlog: ${callByCall.events} events (${callByCall.calls} calls) in ${callByCall.seconds.toFixed(1)} s`);

  const part = 'call-state';
  const { spread } = interleaved;
  const own = await startPrivateRedis(context.cleanup);
  const redisServer = own ?? { url: servers.redisUrl, pid: undefined };
  const notes = [
    `interleaved backlog (the goals): ${interleaved.events} events of ${interleaved.calls} calls (every scenario of the library in turn, ${INTERLEAVED_EXTENSIONS} agent extensions), ${ACTIVE_CALLS} calls in progress at once, each round every call in progress gives its next notification; ${spread.sessions} sessions, active sessions when an event is produced mean ${Math.round(spread.meanActiveSessions)}, peak ${spread.peakActiveSessions} (CALL_STATE_CACHE_SESSIONS is 20,000 by default); a session's consecutive events ${Math.round(spread.meanEventsApart)} events apart in the topic on average (about ${Math.round(spread.meanEventsApart / PARTITIONS)} within its partition); ${PARTITIONS} partitions, uncompressed as ingest writes; produced in ${interleaved.seconds.toFixed(1)} s`,
    `call-by-call backlog (the best case, no goal): ${callByCall.events} events of ${callByCall.calls} calls produced one whole call after another (${CALL_BY_CALL_EXTENSIONS} agent extensions), uncompressed; produced in ${callByCall.seconds.toFixed(1)} s`,
    "timed from every worker being ready (a member of the group, /readyz) to (a) the group committing the end of every partition and (b) every leg and session summary the backlog owes (the scenarios' ground truth) being on the completed-calls topic, by the Kafka timestamp of its first record; events/s (emission drained) = events / the later of the two. Each run has a fresh group and Redis key prefix",
    own
      ? `Redis: a server of the bench's own for these runs (redis-server on ${own.url}, AOF with fsync every second as the local stack's), so INFO commandstats counts only the workers' commands (and the bench's few)`
      : `Redis: the shared ${servers.redisUrl} (redis-server could not be started here): the commandstats delta counts whatever else used it during a run`,
    'CPU µs per event: user + system CPU of the worker processes (/proc/<pid>/stat) over their whole life, start-up included, / events in the topic; events per apply: callpulse_call_state_events_total{outcome="applied"} / callpulse_call_state_applies_total from the workers\' /metrics (n/a when the build has no such counter); Redis commands per event: INFO commandstats calls summed, after minus before the run, / events (commands run inside a script count too, besides its EVALSHA: Redis work, not round trips)',
  ];
  const interleavedBacklog = { topicPrefix: isolation.topicPrefix, topic: interleavedTopic, expected: interleaved.expected };
  // The floor runs (no goal): what the clients alone cost per event on the interleaved backlog (floor/call-state-floor.ts).
  const floorRuns: Array<[string, FloorLevel, string]> = [
    ['fc', 'consume', 'floor: kafkajs consumes, 1 worker'],
    ['fd', 'decode', 'floor: + decodeMessage, 1 worker'],
    ['fs', 'store', 'floor: + HSET and PUBLISH per event, 1 worker'],
  ];
  const runs: Array<{ label: string; workers: number; key: string; backlog: Backlog; goals: boolean; floor?: FloorLevel }> = [
    {
      label: 'interleaved, 1 worker',
      workers: 1,
      key: 'i1',
      backlog: interleavedBacklog,
      goals: true,
    },
    {
      label: 'interleaved, 2 workers',
      workers: 2,
      key: 'i2',
      backlog: interleavedBacklog,
      goals: true,
    },
    {
      label: 'call by call (best case), 1 worker',
      workers: 1,
      key: 'c1',
      backlog: { topicPrefix: callByCallPrefix, topic: callByCallTopic, expected: callByCall.expected },
      goals: false,
    },
    ...floorRuns.map(([key, floor, label]) => ({ label, workers: 1, key, backlog: interleavedBacklog, goals: false, floor })),
  ];
  // BENCH_CALL_STATE_RUNS picks runs by key (e.g. `i1`: only the interleaved backlog with one worker, for comparing a change).
  const picked = process.env.BENCH_CALL_STATE_RUNS?.split(',').map((key) => key.trim());
  const drains: Drain[] = [];
  const figures: Figure[] = [];
  for (const run of runs.filter((candidate) => !picked || picked.includes(candidate.key))) {
    context.log(`draining: ${run.label}`);
    let result: Drain;
    try {
      result = await drain(context, kafka, run, run.backlog, isolation.redisPrefix, redisServer);
    } catch (err) {
      // One run that fails (e.g. too slow for its deadline on a busy machine) leaves the others' figures.
      context.log(`${run.label} failed: ${(err as Error).message}`);
      notes.push(`${run.label}: FAILED: ${(err as Error).message}`);
      figures.push(
        figure(part, `events/s per worker, ${run.label} (emission drained)`, null, '/s', {
          goal: run.goals ? { op: '>=', value: GOAL_EVENTS_PER_WORKER } : undefined,
        }),
      );
      continue;
    }
    context.log(
      `${run.label}: ${Math.round(perSecond(result.timedEvents, result.drainedSeconds) ?? 0)} events/s drained, ${round(result.cpuMicrosPerEvent, 1)} µs CPU per event`,
    );
    drains.push(result);
    figures.push(...figuresOf(part, result, run.goals));
    notes.push(describeDrain(result));
  }
  return { part, figures, notes, tables: [tableOf(drains)] };
}
