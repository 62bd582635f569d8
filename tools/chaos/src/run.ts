// One chaos run: the private servers, the services under the supervisor, simulated traffic in-process, the fault
// schedule while it flows, then verify. The caller owns the teardown (see `teardown`), so Ctrl-C can stop everything
// at any point; every process is stopped by its pid.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  readTruth,
  runSimulation,
  type SimulationSummary,
  seedDirectory,
  simulatedAccount,
  type VerifyReport,
  verifyTruth,
} from '@callpulse/simulator';
import type { ChaosOptions } from './args.js';
import { serviceIds } from './faults.js';
import { applyFault, type FaultRecord } from './inject.js';
import { PrivateStack } from './private-stack.js';
import { freePort } from './processes.js';
import { type ChaosFigures, chaosFigures } from './result.js';
import { nextStartMs, planSchedule, trafficEndMs } from './schedule.js';
import { type ServiceSpec, Supervisor } from './supervisor.js';

export interface Pipeline {
  stack?: PrivateStack;
  supervisor?: Supervisor;
}

export interface ChaosOutcome {
  figures: ChaosFigures;
  report: VerifyReport;
  simulation: SimulationSummary;
}

const START_LIMIT_MS = 120_000;

/** Names of everything the pipeline creates: its own, although the servers are private too. */
function isolation(seed: number) {
  const name = `chaos_${seed}_${randomBytes(2).toString('hex')}`;
  return {
    topicPrefix: `${name}.`,
    redisPrefix: `${name}:`,
    database: name,
    callStateGroup: `${name}.call-state`,
    reportingGroup: `${name}.reporting`,
    token: randomBytes(16).toString('hex'),
  };
}

async function serviceSpecs(
  options: ChaosOptions,
  stack: PrivateStack,
  names: ReturnType<typeof isolation>,
  runDir: string,
): Promise<ServiceSpec[]> {
  const common = {
    KAFKA_BROKERS: stack.kafkaBrokers,
    REDIS_URL: stack.redisUrl,
    CLICKHOUSE_URL: stack.clickhouseUrl,
    KAFKA_TOPIC_PREFIX: names.topicPrefix,
    KAFKA_TOPIC_PARTITIONS: String(options.partitions),
    REDIS_KEY_PREFIX: names.redisPrefix,
    LOG_LEVEL: 'info',
  };
  const specs: ServiceSpec[] = [];
  for (const id of serviceIds(options.workers)) {
    const port = await freePort();
    const service = id.startsWith('call-state-') ? 'call-state' : (id as 'ingest' | 'reporting' | 'api');
    const own: Record<string, Record<string, string>> = {
      ingest: {
        INGEST_PORT: String(port),
        INGEST_HOST: '127.0.0.1',
        RC_WEBHOOK_VERIFICATION_TOKEN: names.token,
        // in the run folder: the restarted ingest finds what the killed one spooled, and it goes with the run
        INGEST_SPOOL_DIR: join(runDir, 'ingest-spool'),
      },
      'call-state': {
        CALL_STATE_PORT: String(port),
        CALL_STATE_GROUP_ID: names.callStateGroup,
        CALL_STATE_GRACE_MS: String(options.graceMs),
        // a killed worker's partitions move on after 10 s instead of 30 s: shorter runs, the same faults
        CALL_STATE_SESSION_TIMEOUT_MS: '10000',
      },
      reporting: { REPORTING_PORT: String(port), REPORTING_GROUP_ID: names.reportingGroup, CLICKHOUSE_DATABASE: names.database },
      api: { API_PORT: String(port), API_HOST: '127.0.0.1', CLICKHOUSE_DATABASE: names.database },
    };
    specs.push({ id, service, port, env: { ...common, ...own[service] } });
  }
  return specs;
}

/** Sleeps until the epoch ms, or until aborted (then throws). */
async function until(atMs: number, signal: AbortSignal): Promise<void> {
  const wait = atMs - Date.now();
  if (wait > 0) await sleep(wait, undefined, { signal });
  signal.throwIfAborted();
}

export async function runChaos(
  options: ChaosOptions,
  runDir: string,
  pipeline: Pipeline,
  say: (text: string) => void,
  signal: AbortSignal,
): Promise<ChaosOutcome> {
  const names = isolation(options.seed);
  const startedAt = new Date().toISOString();
  const stack = await PrivateStack.create(runDir);
  pipeline.stack = stack;
  say(
    `starting private Kafka (${stack.ports.kafka}), Redis (${stack.ports.redis}) and ClickHouse (${stack.ports.clickhouseHttp}) in ${stack.dir}`,
  );
  await stack.up();
  signal.throwIfAborted();

  const account = simulatedAccount(options.extensions);
  await seedDirectory({ redisUrl: stack.redisUrl, redisPrefix: names.redisPrefix }, account);
  const supervisor = new Supervisor(runDir, say);
  pipeline.supervisor = supervisor;
  const specs = await serviceSpecs(options, stack, names, runDir);
  const ingest = specs.find((spec) => spec.service === 'ingest') as ServiceSpec;
  // ingest creates the topics the others subscribe to; reporting creates the database the API reads
  for (const group of [['ingest'], ['call-state', 'reporting'], ['api']]) {
    const starting = specs.filter((spec) => group.includes(spec.service));
    for (const spec of starting) supervisor.add(spec);
    await Promise.all(starting.map((spec) => supervisor.waitReady(spec.id, START_LIMIT_MS)));
    signal.throwIfAborted();
  }
  say(`services ready: ${specs.map((spec) => `${spec.id} :${spec.port}`).join(', ')}`);

  const timing = { leadMs: options.leadMs, gapMs: options.gapMs, tailMs: options.tailMs, minTrafficMs: options.minTrafficMs };
  const plan = planSchedule(options.faults, timing);
  const truthFile = join(runDir, 'truth.jsonl');
  const finish = new AbortController();
  const trafficStart = Date.now();
  say(
    `traffic: seed ${options.seed}, ${options.extensions} agents, ${options.callsPerSecond} calls/s at speed ${options.speed}, ` +
      `disorder ${options.disorder}, duplicates ${options.duplicates}; ${options.faults.length} faults over about ` +
      `${Math.round(plan.trafficMs / 1000)} s`,
  );
  let trafficEnded = false;
  const simulation = runSimulation(
    {
      url: `http://127.0.0.1:${ingest.port}/webhooks/ringcentral`,
      token: names.token,
      extensions: options.extensions,
      rate: options.callsPerSecond / options.speed,
      speed: options.speed,
      disorder: options.disorder,
      duplicates: options.duplicates,
      seed: options.seed,
      calls: options.calls,
      truthFile,
      seedDirectory: false,
      redisUrl: stack.redisUrl,
      redisPrefix: names.redisPrefix,
      label: 'chaos traffic',
      // an outage answers 503 with Retry-After, or refuses connections: retry for minutes rather than give up
      maxAttempts: 1000,
      progressIntervalMs: 15_000,
    },
    {
      signal,
      finish: finish.signal,
      progress: { isTTY: false, write: (text: string) => say(text.trim()) },
      onError: (reason) => say(`traffic error: ${reason}`),
    },
  ).finally(() => {
    trafficEnded = true;
  });

  const faults: FaultRecord[] = [];
  try {
    let lastEnd: number | undefined;
    for (const [index, fault] of options.faults.entries()) {
      await until(trafficStart + nextStartMs(plan, index, lastEnd, options.gapMs), signal);
      if (trafficEnded) say(`note: the traffic has ended (--calls); ${fault.name} runs without traffic`);
      faults.push(await applyFault(fault, { stack, supervisor }, Date.now() - trafficStart, say));
      lastEnd = Date.now() - trafficStart;
    }
    await until(trafficStart + trafficEndMs(plan, lastEnd, options.tailMs), signal);
  } finally {
    finish.abort();
  }
  say('schedule done; the traffic finishes the calls in progress');
  const summary = await simulation;
  signal.throwIfAborted();
  say(
    `traffic done: ${summary.callsDelivered} calls delivered (${summary.legsInTruth} legs), ${summary.callsFailed} failed, ` +
      `${summary.retries} retries, ${summary.errors} errors`,
  );

  say(`verifying (drain limit ${options.drainTimeoutMs / 1000} s)`);
  const truth = await readTruth(truthFile);
  if (truth.legs.length === 0) throw new Error('the traffic delivered no complete call: nothing to verify');
  const report = await verifyTruth(truth, {
    clickhouseUrl: stack.clickhouseUrl,
    database: names.database,
    kafkaBrokers: [stack.kafkaBrokers],
    topicPrefix: names.topicPrefix,
    callStateGroup: names.callStateGroup,
    reportingGroup: names.reportingGroup,
    redisUrl: stack.redisUrl,
    redisPrefix: names.redisPrefix,
    timeoutMs: options.drainTimeoutMs,
    settleMs: Math.max(5000, options.graceMs + 2000),
    graceMs: options.graceMs,
    // every record of the truth's sessions: what each first version said, and any version produced twice differently
    firstVersions: 'topic',
    signal,
  });
  writeFileSync(join(runDir, 'verify-report.json'), `${JSON.stringify({ ...report, truthFile }, null, 2)}\n`);
  const figures = chaosFigures({
    seed: options.seed,
    startedAt,
    setup: {
      workers: options.workers,
      extensions: options.extensions,
      callsPerSecond: options.callsPerSecond,
      speed: options.speed,
      disorder: options.disorder,
      duplicates: options.duplicates,
      graceMs: options.graceMs,
    },
    simulation: summary,
    faults,
    exits: supervisor.unplannedExits,
    report,
  });
  return { figures, report, simulation: summary };
}
