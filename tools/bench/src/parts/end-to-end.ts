// Part 3, end to end at fixed rates: latency from a webhook being sent to the live update arriving, and to the leg
// being queryable in ClickHouse, with the consumer lag when the sending ends. All services as child processes.
import { topicNames } from '@callpulse/contracts';
import { type Figure, figure, type PartResult } from '../report/result.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter } from '../support/cpu.js';
import { benchKafka, consumerLag, withAdmin } from '../support/kafka.js';
import { callStateGroupId, type Isolation } from '../support/services.js';
import { nowMs, percentile, round } from '../support/stats.js';
import { waitFor } from '../support/wait.js';
import type { ClickHouseLegWatch } from '../traffic/clickhouse-watch.js';
import type { LiveLatency } from '../traffic/live-latency.js';
import { startPipeline } from '../traffic/pipeline.js';
import { sendAtRate, WebhookSender } from '../traffic/sender.js';
import { timedTraffic } from '../traffic/timed-calls.js';

/** The rates (BENCH_E2E_RATES=2000 or 500,2000: some of them, to measure one again; default all three). */
const RATES = (process.env.BENCH_E2E_RATES ?? '500,2000,5000').split(',').map((text) => {
  const rate = Number(text.trim());
  if (!Number.isInteger(rate) || rate <= 0)
    throw new Error(`BENCH_E2E_RATES: ${JSON.stringify(text)} is not a whole number of events/s above 0`);
  return rate;
});
const EXTENSIONS = 500;

interface RateResult {
  rate: number;
  live: number[];
  liveApi: number[] | undefined;
  liveExpected: number;
  clickhouse: number[];
  clickhouseExpected: number;
  lag: { callState: number; reporting: number };
  sendSeconds: number;
  behindMs: number;
  failures: number;
  cpu: string;
  /** Legs that took over 2 s to reach ClickHouse, by scenario. */
  slow: string;
  /** Expected legs never seen in ClickHouse, by scenario. */
  missing: string;
}

async function runRate(
  context: BenchContext,
  isolation: Isolation,
  ingestUrl: string,
  rate: number,
  seconds: number,
  firstSeed: number,
  live: LiveLatency,
  withApi: boolean,
  watch: ClickHouseLegWatch,
  pids: Record<string, number>,
): Promise<RateResult> {
  const sender = new WebhookSender(ingestUrl);
  await sender.open();
  const traffic = timedTraffic({ rate, seconds, firstSeed, extensionPool: EXTENSIONS });
  const legEndSentAt = new Map<string, number>();
  const latencies: number[] = [];
  live.clear();
  const liveKeys: string[] = [];
  const meter = startCpuMeter(pids);
  const sending = await sendAtRate(traffic.events, rate, (event) => {
    const at = nowMs();
    if (event.legKey) {
      const key = `${event.telephonySessionId}:${event.sequence}`;
      live.sentAt.set(key, at);
      liveKeys.push(key);
      if (event.endsLeg) legEndSentAt.set(event.legKey, at);
    }
    return sender.send(event.body);
  });
  sender.close();
  const cpu = meter.stop();
  const topics = topicNames(isolation.topicPrefix);
  const lag = await withAdmin(benchKafka(), async (admin) => ({
    callState: await consumerLag(admin, callStateGroupId(isolation), topics.telephonySessions),
    reporting: await consumerLag(admin, `${isolation.topicPrefix}reporting`, topics.completedCalls),
  }));
  // Let the pipeline finish what was sent (bounded), then read the figures.
  await waitFor(() => [...traffic.expectedLegs.keys()].every((leg) => watch.seenAt(leg) !== undefined), {
    timeoutMs: 30000,
    intervalMs: 200,
    what: 'expected legs in ClickHouse',
  }).catch(() => context.log(`not every expected leg reached ClickHouse at ${rate}/s within 30 s`));
  const missing = new Map<string, number>();
  const slow = new Map<string, number>();
  for (const [leg, scenario] of traffic.expectedLegs) {
    const seen = watch.seenAt(leg);
    const sent = legEndSentAt.get(leg);
    if (seen !== undefined && sent !== undefined) latencies.push(Math.max(0, seen - sent));
    if (seen !== undefined && sent !== undefined && seen - sent > 2000) slow.set(scenario, (slow.get(scenario) ?? 0) + 1);
    if (seen === undefined) missing.set(scenario, (missing.get(scenario) ?? 0) + 1);
  }
  const unseen = [...traffic.expectedLegs.keys()].filter((leg) => watch.seenAt(leg) === undefined);
  const foundLate = (await watch.find(unseen)).size;
  return {
    rate,
    live: live.latencies('redis'),
    liveApi: withApi ? live.latencies('api') : undefined,
    liveExpected: liveKeys.length,
    clickhouse: latencies,
    clickhouseExpected: traffic.expectedLegs.size,
    lag,
    sendSeconds: sending.seconds,
    behindMs: sending.behindMs,
    failures: sender.failures,
    cpu,
    slow: [...slow]
      .sort((a, b) => b[1] - a[1])
      .map(([scenario, count]) => `${scenario} ${count}`)
      .join(', '),
    missing:
      [...missing].map(([scenario, count]) => `${scenario} ${count}`).join(', ') +
      (unseen.length > 0 ? `; ${foundLate} of these ${unseen.length} are in the table by a direct query` : ''),
  };
}

export async function runEndToEnd(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const seconds = context.quick ? 8 : 30;
  const { isolation, ingestUrl, pids, live, withApi, redisDescription, apiDescription, watch } = await startPipeline(context, 'e2e');

  const part = 'end-to-end';
  const figures: Figure[] = [];
  const notes = [
    `live updates measured at ${redisDescription} (what call-state publishes) and at ${apiDescription}`,
    `${seconds} s per rate; calls of every scenario with durations of a few seconds, ${EXTENSIONS} agent extensions; webhooks on a fixed schedule over keep-alive connections`,
    "live latency: webhook sent -> first live message carrying that event's sequence for its leg (events whose leg snapshot did not change, or was coalesced with a later event, send none)",
    "ClickHouse latency: the webhook that ended a leg sent -> the leg row seen by polling the legs table every 50 ms (includes call-state's wait for the other side's end and reporting's flush interval)",
  ];
  let seed = 1;
  for (const rate of RATES) {
    context.log(`${rate} events/s for ${seconds} s`);
    const result = await runRate(context, isolation, ingestUrl, rate, seconds, seed, live, withApi, watch, pids);
    seed += 100000;
    const subscriptionGoal = rate === 2000 ? { goal: { op: '<=' as const, value: 150 } } : {};
    if (result.liveApi) {
      figures.push(
        figure(part, `${rate}/s: GraphQL subscription message p50`, round(percentile(result.liveApi, 50), 1), 'ms'),
        figure(part, `${rate}/s: GraphQL subscription message p99`, round(percentile(result.liveApi, 99), 1), 'ms', subscriptionGoal),
      );
    }
    figures.push(
      figure(part, `${rate}/s: Redis live message p50`, round(percentile(result.live, 50), 1), 'ms'),
      figure(
        part,
        `${rate}/s: Redis live message p99`,
        round(percentile(result.live, 99), 1),
        'ms',
        result.liveApi ? {} : subscriptionGoal,
      ),
      figure(part, `${rate}/s: leg in ClickHouse p50`, round(percentile(result.clickhouse, 50), 0), 'ms'),
      figure(part, `${rate}/s: leg in ClickHouse p99`, round(percentile(result.clickhouse, 99), 0), 'ms', {
        goal: { op: '<=', value: 2000 },
      }),
      figure(part, `${rate}/s: call-state lag at end of sending`, result.lag.callState, 'events'),
      figure(part, `${rate}/s: reporting lag at end of sending`, result.lag.reporting, 'records'),
    );
    notes.push(
      `${rate}/s: ${result.liveExpected} events of monitored parties sent in ${result.sendSeconds.toFixed(1)} s (schedule slipped at most ${Math.round(result.behindMs)} ms, ${result.failures} failed); live messages matched ${result.live.length} at Redis${result.liveApi ? ` and ${result.liveApi.length} on the subscription` : ''}; ${result.clickhouse.length} of ${result.clickhouseExpected} complete legs seen in ClickHouse${result.missing ? ` (not seen, by scenario: ${result.missing})` : ''}${result.slow ? `; legs slower than 2 s to ClickHouse, by scenario: ${result.slow}` : ''}; CPU while sending (share of one core): ${result.cpu}`,
    );
  }
  return { part, figures, notes };
}
