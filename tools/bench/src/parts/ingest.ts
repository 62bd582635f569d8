// Part 1, ingest: webhooks/s the built ingest service acknowledges (200 after Kafka's ack) under 100 connections, its
// ack latency and CPU per webhook, against the parse-and-validate baseline (bare-server.ts, BARE_MODE=parse: fastify
// with ingest's logger and its own interpretWebhook, no Kafka) and the old bare handler, all with the services' node
// flags; the load generator (autocannon, pre-built requests) and the server under load pinned to separate CPUs.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { topicNames } from '@callpulse/contracts';
import { figure, type PartResult, type RunTable } from '../report/result.js';
import { type Child, freePort, startChild, waitUntilReady } from '../support/children.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter } from '../support/cpu.js';
import { repoRoot } from '../support/env.js';
import { isolate } from '../support/isolation.js';
import { benchKafka, endOffset, withAdmin } from '../support/kafka.js';
import { type LoadResult, type PrebuiltRequest, prebuiltRequests, runLoad } from '../support/load-generator.js';
import { affinityOf, pin, pinPlan } from '../support/pinning.js';
import { cpuMicrosPerUnit, ratioOf, watchCpu } from '../support/process-cpu.js';
import { benchVerificationToken, startService } from '../support/services.js';
import { round } from '../support/stats.js';
import { webhookBodyFactory } from '../traffic/webhook-body.js';

const CONNECTIONS = 100;
/** Distinct pre-built webhooks (see load-generator.ts for why not more). */
const BODIES = 1000;
const GOAL_WEBHOOKS_PER_SECOND = 25000;
const GOAL_CPU_RATIO = 1.5;

/** The node flags every service runs with (services/node-flags.json), and the profiler's with --profile. */
function serviceNodeFlags(context: BenchContext, name: string): string[] {
  const flags = JSON.parse(readFileSync(resolve(repoRoot, 'services/node-flags.json'), 'utf8')) as string[];
  if (!context.profileDir) return flags;
  return [...flags, '--cpu-prof', `--cpu-prof-dir=${context.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

async function startBaseline(context: BenchContext, mode: 'parse' | 'bare'): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = startChild({
    name: mode === 'parse' ? 'baseline-parse' : 'bare-fastify',
    script: 'tools/bench/dist/bare-server.js',
    env: { BARE_PORT: String(port), BARE_MODE: mode, BARE_VERIFICATION_TOKEN: benchVerificationToken },
    nodeArgs: serviceNodeFlags(context, `baseline-${mode}`),
    cleanup: context.cleanup,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${url}/readyz`);
  return { child, url };
}

interface Measured extends LoadResult {
  label: string;
  /** µs of CPU of the server process per answered request. */
  cpuMicrosPerRequest: number | null;
  /** Share of one core the server used during the run. */
  serverCpuShare: number | null;
  /** CPU shares of every process (the stack's servers included) during the run. */
  cpu: string;
}

async function measure(
  context: BenchContext,
  label: string,
  server: { pid: number; url: string },
  requests: PrebuiltRequest[],
  seconds: number,
  warmup: number,
): Promise<Measured> {
  context.log(`${label}: warm-up ${warmup} s, then ${CONNECTIONS} connections for ${seconds} s`);
  await runLoad(server.url, warmup, CONNECTIONS, requests);
  const watch = watchCpu({ server: server.pid });
  const meter = startCpuMeter({ [label]: server.pid });
  const load = await runLoad(server.url, seconds, CONNECTIONS, requests);
  const cpu = meter.stop();
  const { cpuSeconds, wallSeconds } = watch.stop();
  const serverCpu = cpuSeconds.server ?? null;
  return {
    ...load,
    label,
    cpuMicrosPerRequest: cpuMicrosPerUnit(serverCpu, load.answered),
    serverCpuShare: serverCpu === null ? null : serverCpu / wallSeconds,
    cpu,
  };
}

function tableOf(runs: Measured[]): RunTable {
  return {
    title: 'ingest against its baselines',
    columns: ['server', 'requests/s', 'CPU µs/request', 'p50 ms', 'p99 ms', 'server CPU', 'generator CPU'],
    rows: runs.map((run) => [
      run.label,
      round(run.perSecond, 0),
      round(run.cpuMicrosPerRequest, 1),
      run.p50,
      run.p99,
      run.serverCpuShare === null ? null : `${Math.round(run.serverCpuShare * 100)}%`,
      `${Math.round(run.generatorCpuShare * 100)}%`,
    ]),
  };
}

export async function runIngest(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const seconds = context.quick ? 10 : 30;
  const warmup = context.quick ? 2 : 5;
  const isolation = isolate(context, 'ingest');
  const ingest = await startService(context, 'ingest', isolation);
  const baseline = await startBaseline(context, 'parse');
  const bare = await startBaseline(context, 'bare');

  const nextBody = webhookBodyFactory(Date.now() % 1e6);
  const bodies = Array.from({ length: BODIES }, (_unused, index) => nextBody(index));
  const requests = prebuiltRequests(
    '/webhooks/ringcentral',
    { 'content-type': 'application/json', 'verification-token': benchVerificationToken },
    bodies,
  );

  const plan = pinPlan();
  const benchAffinity = plan.generator === null ? null : affinityOf(process.pid);
  const pinned: string[] = [];
  if (plan.generator !== null && plan.server !== null) {
    for (const [name, pid] of [
      ['ingest', ingest.child.pid],
      ['baseline', baseline.child.pid],
      ['bare', bare.child.pid],
    ] as const) {
      if (!pin(pid, plan.server)) pinned.push(`could not pin ${name}`);
    }
    if (!pin(process.pid, plan.generator)) pinned.push('could not pin the generator');
  }
  const topic = topicNames(isolation.topicPrefix).telephonySessions;
  let runs: Measured[];
  let reached: number;
  try {
    const parse = await measure(
      context,
      'baseline: parse and validate',
      { pid: baseline.child.pid, url: baseline.url },
      requests,
      seconds,
      warmup,
    );
    const before = await withAdmin(benchKafka(), (admin) => endOffset(admin, topic));
    const measured = await measure(context, 'ingest', { pid: ingest.child.pid, url: ingest.url }, requests, seconds, warmup);
    const after = await withAdmin(benchKafka(), (admin) => endOffset(admin, topic));
    reached = after - before;
    const old = await measure(context, 'bare fastify (old baseline)', { pid: bare.child.pid, url: bare.url }, requests, seconds, warmup);
    runs = [measured, parse, old];
  } finally {
    if (benchAffinity !== null) pin(process.pid, benchAffinity);
  }
  const counts = await fetch(`${baseline.url}/counts`).then((response) => response.json() as Promise<Record<string, number>>);
  const [measured, parse, old] = runs as [Measured, Measured, Measured];

  const part = 'ingest';
  const cpuRatio = ratioOf(measured.cpuMicrosPerRequest, parse.cpuMicrosPerRequest);
  const describe = (run: Measured) =>
    `${run.label}: ${run.ok} answered 200, ${run.non2xx} other status, ${run.errors} errors/timeouts in ${run.seconds} s; server ${run.serverCpuShare === null ? 'n/a' : `${Math.round(run.serverCpuShare * 100)}%`} of a core, generator ${Math.round(run.generatorCpuShare * 100)}%${run.generatorCpuShare > 0.9 ? ' (NEAR A FULL CORE: the generator may be the bound of this figure)' : ''}; CPU shares of every process: ${run.cpu}`;
  return {
    part,
    figures: [
      figure(part, 'webhooks/s (ingest, 200 after Kafka ack)', round(measured.perSecond, 0), '/s', {
        goal: { op: '>=', value: GOAL_WEBHOOKS_PER_SECOND },
      }),
      figure(part, 'ingest CPU µs per webhook', round(measured.cpuMicrosPerRequest, 1), 'µs'),
      figure(part, 'ack latency p50', measured.p50, 'ms'),
      figure(part, 'ack latency p99', measured.p99, 'ms'),
      figure(part, 'requests/s (baseline: parse and validate, no Kafka)', round(parse.perSecond, 0), '/s'),
      figure(part, 'baseline CPU µs per request', round(parse.cpuMicrosPerRequest, 1), 'µs'),
      figure(part, 'baseline latency p99', parse.p99, 'ms'),
      figure(part, 'ratio ingest / baseline, requests/s', round(ratioOf(measured.perSecond, parse.perSecond), 2), ''),
      figure(part, 'ratio ingest / baseline, CPU per request', round(cpuRatio, 2), '', { goal: { op: '<=', value: GOAL_CPU_RATIO } }),
      figure(part, 'requests/s (bare fastify: no parse, no logger)', round(old.perSecond, 0), '/s'),
      figure(part, 'bare fastify CPU µs per request', round(old.cpuMicrosPerRequest, 1), 'µs'),
      figure(part, 'bare fastify latency p99', old.p99, 'ms'),
    ],
    tables: [tableOf(runs)],
    notes: [
      `autocannon in the bench process, ${CONNECTIONS} connections, a pre-built array of ${BODIES} distinct valid telephony notifications (scenario library template, each its own telephonySessionId, party ids and uuid; no request rebuilt during the run), with the Verification-Token header; ${warmup} s warm-up then ${seconds} s for each server, baseline first, then ingest, then bare`,
      `the baseline parses and validates as ingest does (ingest's own interpretWebhook from its build: token check, JSON.parse, envelope and notification checks; same fastify options, pino logger and LOG_LEVEL, same raw-body parser and limit) and answers 200 without Kafka; it decided ${Object.entries(
        counts,
      )
        .map(([action, count]) => `${action} ${count}`)
        .join(
          ', ',
        )} (telephony expected). bare: fastify with no logger answering 200 without reading the body (the old baseline). All three with the services' node flags (services/node-flags.json)`,
      `${plan.reason}${pinned.length > 0 ? ` (${pinned.join(', ')})` : ''}`,
      'CPU µs per request: user + system CPU of the server process (/proc/<pid>/stat, all threads) during the measured run / requests answered; the ratio ingest / baseline of both requests/s and CPU per request',
      `ingest: ${reached} messages reached the topic during its run (at least the 200s are expected there; requests cut off at the end may add a few)`,
      ...runs.map(describe),
    ],
  };
}
