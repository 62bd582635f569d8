// Part 1, ingest: the most webhooks/s the built ingest service acknowledges (200 after Kafka's ack) under 100
// connections, with ack latency, and in the same run the same load against a bare fastify handler; the ratio of the two.

import { topicNames } from '@callpulse/contracts';
import autocannon from 'autocannon';
import { figure, type PartResult } from '../report/result.js';
import { freePort, startChild, waitUntilReady } from '../support/children.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter } from '../support/cpu.js';
import { isolate } from '../support/isolation.js';
import { benchKafka, endOffset, withAdmin } from '../support/kafka.js';
import { benchVerificationToken, startService } from '../support/services.js';
import { round } from '../support/stats.js';
import { webhookBodyFactory } from '../traffic/webhook-body.js';

const CONNECTIONS = 100;

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, seconds: number, nextBody: () => string): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/ringcentral',
        headers: { 'content-type': 'application/json', 'verification-token': benchVerificationToken },
        setupRequest: (request) => ({ ...request, body: nextBody() }),
      },
    ],
  });
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function runIngest(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const seconds = context.quick ? 10 : 30;
  const warmup = context.quick ? 2 : 5;
  const isolation = isolate(context, 'ingest');
  const ingest = await startService(context, 'ingest', isolation);
  const barePort = await freePort();
  const bare = startChild({
    name: 'bare-fastify',
    script: 'tools/bench/dist/bare-server.js',
    env: { BARE_PORT: String(barePort) },
    cleanup: context.cleanup,
  });
  const bareUrl = `http://127.0.0.1:${barePort}`;
  await waitUntilReady(bare, `${bareUrl}/readyz`);

  const nextBody = webhookBodyFactory(Date.now() % 1e6);
  let index = 0;
  const body = () => nextBody(index++);
  context.log(`warming up both for ${warmup} s each`);
  await load(bareUrl, warmup, body);
  await load(ingest.url, warmup, body);
  context.log(`bare fastify handler: ${CONNECTIONS} connections for ${seconds} s`);
  const bareMeter = startCpuMeter({ bare: bare.pid });
  const baseline = await load(bareUrl, seconds, body);
  const bareCpu = bareMeter.stop();
  context.log(`ingest: ${CONNECTIONS} connections for ${seconds} s`);
  const before = await withAdmin(benchKafka(), (admin) => endOffset(admin, topicNames(isolation.topicPrefix).telephonySessions));
  const ingestMeter = startCpuMeter({ ingest: ingest.child.pid });
  const measured = await load(ingest.url, seconds, body);
  const ingestCpu = ingestMeter.stop();
  const after = await withAdmin(benchKafka(), (admin) => endOffset(admin, topicNames(isolation.topicPrefix).telephonySessions));

  const ratio = baseline.perSecond > 0 ? measured.perSecond / baseline.perSecond : null;
  const part = 'ingest';
  return {
    part,
    figures: [
      figure(part, 'webhooks/s (ingest, 200 after Kafka ack)', round(measured.perSecond, 0), '/s', { goal: { op: '>=', value: 10000 } }),
      figure(part, 'ack latency p50', measured.p50, 'ms'),
      figure(part, 'ack latency p99', measured.p99, 'ms'),
      figure(part, 'requests/s (bare fastify, no Kafka)', round(baseline.perSecond, 0), '/s'),
      figure(part, 'bare latency p50', baseline.p50, 'ms'),
      figure(part, 'bare latency p99', baseline.p99, 'ms'),
      figure(part, 'ratio ingest / bare', round(ratio, 2), '', { goal: { op: '>=', value: 0.6 } }),
    ],
    notes: [
      `autocannon, ${CONNECTIONS} connections, ${warmup} s warm-up then ${seconds} s each, bare first then ingest, in this process (the load generator shares the CPUs with the services and Kafka)`,
      `valid telephony notifications (scenario library template), a distinct telephonySessionId per request, with the Verification-Token header`,
      `the ingest service answered ${measured.ok} with 200, ${measured.non2xx} other status, ${measured.errors} errors/timeouts; ${after - before} messages reached the topic (at least the 200s are expected there; requests cut off at the end may add a few)`,
      `CPU (share of one core; 'bench' is the load generator) under the ingest load: ${ingestCpu}; under the bare load: ${bareCpu}`,
      `the bare handler answered ${baseline.ok} with 200, ${baseline.non2xx} other status, ${baseline.errors} errors/timeouts`,
    ],
  };
}
