// Part "alerts": event to alert at 2,000 events/s with 100 rules. The whole pipeline runs (ingest, call-state,
// reporting, the API with its evaluator and delivery) while calls of every scenario are sent as webhooks at the rate;
// probe calls ring agents that only probe rules (AGENT_RINGING over 0 s, one agent each) watch. Measured: from the
// webhook that makes a probe agent ring (the event that crosses the threshold; its post time) to the alertChanged
// message a GraphQL client receives, and to the webhook receiver's POST; the same for the answer that resolves it.
// The other 90 rules (every kind, every scope) are evaluated on every tick and do not fire on this traffic; any
// transition they make is counted.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { redisChannels, redisKeys, topicNames } from '@callpulse/contracts';
import { buildScenario } from '@callpulse/testkit/scenarios';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type Figure, figure, type PartResult } from '../report/result.js';
import { apiAvailable, graphqlPath } from '../support/api.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter, startCpuPressureMeter } from '../support/cpu.js';
import { isolate } from '../support/isolation.js';
import { benchKafka, consumerLag, withAdmin } from '../support/kafka.js';
import { counterValue, fetchMetrics, quantileMsBetween } from '../support/prometheus-text.js';
import { benchRedis } from '../support/redis.js';
import { callStateGroupId, startService } from '../support/services.js';
import { nowMs, percentile, round } from '../support/stats.js';
import { waitFor } from '../support/wait.js';
import { benchAccountId, extensionId } from '../traffic/calls.js';
import { subscribeRedisLegChanges } from '../traffic/live-source.js';
import { sendAtRate, WebhookSender } from '../traffic/sender.js';
import { timedTraffic } from '../traffic/timed-calls.js';

/** BENCH_ALERTS_RATE: another rate (events/s), e.g. to see the alert path on a machine that cannot keep up with 2,000. */
const RATE = Number(process.env.BENCH_ALERTS_RATE) > 0 ? Number(process.env.BENCH_ALERTS_RATE) : 2000;
/** BENCH_ALERTS_PROBES_FILE: writes every probe's times there (JSON lines, epoch ms), to see when in a run they were slow. */
const PROBES_FILE = process.env.BENCH_ALERTS_PROBES_FILE;
const EXTENSIONS = 500;
const PROBES = 10;
const RULES = 100;
/** Probes on the idle pipeline before the traffic (after one warm-up probe). */
const IDLE_PROBES = 10;
const ADMIN_KEY = 'bench-alerts-admin-key';
const PROBE_EVERY_MS = 500;
/** How long a probe agent rings before the answer resolves its alert. */
const PROBE_RING_MS = 3000;

const probeId = (index: number) => String(590000001 + index);
const queueId = extensionId(EXTENSIONS + 1);

interface Transition {
  id: string;
  ruleId: string;
  subject: string;
  status: 'FIRING' | 'RESOLVED';
  seq: number;
  conditionKind: string;
  at: string;
}

/** One probe: the post times of the ringing and the answer, and when its alert's transitions arrived. */
interface Probe {
  agent: string;
  ruleId: string;
  ringPostedAt: number;
  /** When ingest answered the ring's post (200: Kafka acknowledged it). */
  ringAcceptedAt?: number;
  /** The ringing notification's eventTime: the alert's `at` when it fires. */
  ringEventMs: number;
  /** The probe call's session, and when call-state's first live message of it (the ring) was heard in Redis. */
  session: string;
  liveAt?: number;
  answerPostedAt: number | undefined;
  firedAt?: number;
  resolvedAt?: number;
  firedWebhookAt?: number;
  resolvedWebhookAt?: number;
}

async function gqlAdmin<T>(apiUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(new URL(graphqlPath, apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data)
    throw new Error(`the API answered ${response.status}: ${body.errors?.map((e) => e.message).join('; ')}`);
  return body.data;
}

/** The directory and monitored set: the traffic's agents, the queue and the probe agents. */
async function seedDirectory(redisPrefix: string): Promise<void> {
  const redis = benchRedis();
  try {
    const keys = redisKeys(redisPrefix);
    const entries: Record<string, string> = {};
    const ids: string[] = [];
    for (let i = 0; i < EXTENSIONS; i += 1) {
      const id = extensionId(i);
      ids.push(id);
      entries[id] = JSON.stringify({ id, extensionNumber: String(1000 + i), name: `Agent ${i}`, type: 'User', status: 'Enabled' });
    }
    for (let i = 0; i < PROBES; i += 1) {
      const id = probeId(i);
      ids.push(id);
      entries[id] = JSON.stringify({ id, extensionNumber: String(9000 + i), name: `Probe ${i}`, type: 'User', status: 'Enabled' });
    }
    entries[queueId] = JSON.stringify({ id: queueId, extensionNumber: '8000', name: 'Bench Queue', type: 'Department', status: 'Enabled' });
    await redis.hset(keys.extensions, entries);
    await redis.sadd(keys.monitoredExtensions, ...ids);
    await redis.publish(redisChannels(redisPrefix).directoryChanged, JSON.stringify({ source: 'bench' }));
  } finally {
    redis.disconnect();
  }
}

/** The 90 rules that watch the traffic without firing on it: every kind, scopes all, a queue and sets of agents. */
function backgroundRules(count: number): Array<Record<string, unknown>> {
  const agentsOf = (i: number) => Array.from({ length: 20 }, (_, j) => extensionId((i * 20 + j) % EXTENSIONS));
  const shapes: Array<(i: number) => Record<string, unknown>> = [
    (i) => ({ scope: { kind: 'ALL' }, condition: { kind: 'AGENT_RINGING', threshold: 60 + i } }),
    (i) => ({ scope: { kind: 'EXTENSIONS', extensionIds: agentsOf(i) }, condition: { kind: 'AGENT_ON_HOLD', threshold: 300 } }),
    () => ({ scope: { kind: 'QUEUE', queueId }, condition: { kind: 'QUEUE_WAITING', threshold: 500 } }),
    () => ({ scope: { kind: 'ALL' }, condition: { kind: 'LONGEST_WAIT', threshold: 600 } }),
    (i) => ({ scope: { kind: 'ALL' }, condition: { kind: 'MISSED_CALLS', threshold: 1_000_000, windowMinutes: 5 + (i % 60) } }),
    (i) => ({
      scope: { kind: 'EXTENSIONS', extensionIds: agentsOf(i) },
      condition: { kind: 'MISSED_CALLS', threshold: 100_000, windowMinutes: 15 },
    }),
    () => ({ scope: { kind: 'QUEUE', queueId }, condition: { kind: 'ABANDONED_CALLS', threshold: 100_000, windowMinutes: 30 } }),
    // A service level under 0 % never holds, but is computed on every tick.
    (i) => ({ scope: { kind: 'ALL' }, condition: { kind: 'SERVICE_LEVEL', threshold: 0, windowMinutes: 10 + (i % 50) } }),
    () => ({ scope: { kind: 'ALL' }, condition: { kind: 'EVENTS_LATE', threshold: 60 } }),
    () => ({ scope: { kind: 'ALL' }, condition: { kind: 'NO_EVENTS', threshold: 3600 } }),
  ];
  return Array.from({ length: count }, (_, i) => {
    const shape = shapes[i % shapes.length] as (i: number) => Record<string, unknown>;
    return { name: `Background ${i}`, severity: 'WARNING', forSeconds: i % 3 === 0 ? 30 : 0, ...shape(i) };
  });
}

/** A local receiver: the time each delivery (X-Callpulse-Delivery) first arrived, answered 200. */
async function startReceiver(): Promise<{ url: string; received: Map<string, number>; posts: () => number; close: () => Promise<void> }> {
  const received = new Map<string, number>();
  let posts = 0;
  const server = http.createServer((request, response) => {
    const at = nowMs();
    posts += 1;
    const id = String(request.headers['x-callpulse-delivery'] ?? '');
    if (id && !received.has(id)) received.set(id, at);
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    posts: () => posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** alertChanged over graphql-ws with the admin key; every transition with the time it arrived here. */
async function subscribeAlerts(apiUrl: string, onTransition: (transition: Transition, at: number) => void): Promise<() => Promise<void>> {
  const url = new URL(graphqlPath, apiUrl);
  url.protocol = 'ws:';
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const client = createClient({
    url: url.toString(),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${ADMIN_KEY}` },
    on: { connected },
  });
  const unsubscribe = client.subscribe<{ alertChanged: Transition }>(
    { query: 'subscription { alertChanged { id ruleId subject status seq conditionKind at } }' },
    {
      next: ({ data }) => {
        const at = nowMs();
        if (data?.alertChanged) onTransition(data.alertChanged, at);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await Promise.race([
    ready,
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error('no graphql-ws connection within 10 s')), 10000).unref()),
  ]);
  return async () => {
    unsubscribe();
    await client.dispose();
  };
}

/** A probe call for one agent: the notifications up to its ringing, those before its answer, and from its answer on. */
function probeCall(
  agent: string,
  seed: number,
): { ring: string[]; ringEventMs: number; session: string; beforeAnswer: string[]; answer: string[] } {
  const { notifications } = buildScenario('inbound-answered-two-holds', {
    seed,
    // In the past, so the ring has begun when it is posted (a ring dated in the future holds only from its time).
    startMs: Date.now() - 10_000,
    accountId: benchAccountId,
    agentExtensionIds: [agent],
    ringMs: PROBE_RING_MS,
    talkMs: 500,
    holdMs: 200,
  });
  const agentIs = (index: number, codes: string[]) =>
    notifications[index]?.notification.body.parties.some((party) => party.extensionId === agent && codes.includes(party.status.code));
  const answered = notifications.findIndex((_, index) => agentIs(index, ['Answered']));
  const ringing = notifications.findIndex((_, index) => agentIs(index, ['Proceeding']));
  if (ringing < 0 || answered < 0 || answered < ringing) throw new Error('the probe scenario has no ringing then answer of the agent');
  const bodies = notifications.map(({ notification }) => JSON.stringify(notification));
  const ringEventMs = Date.parse(notifications[ringing]?.notification.body.eventTime ?? '');
  return {
    ring: bodies.slice(0, ringing + 1),
    ringEventMs,
    session: notifications[ringing]?.notification.body.telephonySessionId ?? '',
    beforeAnswer: bodies.slice(ringing + 1, answered),
    answer: bodies.slice(answered),
  };
}

export async function runAlerts(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const part = 'alerts';
  if (!(await apiAvailable())) {
    return {
      part,
      figures: [],
      notes: ['the API service is not built: nothing to measure'],
      error: 'services/api/dist/main.js is missing',
    };
  }
  const seconds = context.quick ? 10 : 45;
  const isolation = isolate(context, 'alerts', { database: true });
  await seedDirectory(isolation.redisPrefix);
  const ingest = await startService(context, 'ingest', isolation);
  const callState = await startService(context, 'call-state', isolation);
  const reporting = await startService(context, 'reporting', isolation);
  const api = await startService(context, 'api', isolation, { env: { API_KEYS: `admin:${ADMIN_KEY}`, LOG_LEVEL: 'warn' } });
  const pids: Record<string, number> = {
    ingest: ingest.child.pid,
    'call-state': callState.child.pid,
    reporting: reporting.child.pid,
    api: api.child.pid,
  };

  const receiver = await startReceiver();
  context.cleanup.add('close the webhook receiver', () => receiver.close());
  const { createAlertTarget: target } = await gqlAdmin<{ createAlertTarget: { id: string } }>(
    api.url,
    'mutation($t: AlertTargetInput!) { createAlertTarget(target: $t) { id } }',
    { t: { name: 'Bench receiver', kind: 'WEBHOOK', url: receiver.url, secret: 'bench-secret' } },
  );
  const probeRules = new Map<string, string>(); // agent -> rule id
  for (let i = 0; i < PROBES; i += 1) {
    const rule = {
      name: `Probe ${i} ringing`,
      severity: 'CRITICAL',
      scope: { kind: 'EXTENSIONS', extensionIds: [probeId(i)] },
      condition: { kind: 'AGENT_RINGING', threshold: 0 },
      forSeconds: 0,
      targetIds: [target.id],
    };
    const { createAlertRule } = await gqlAdmin<{ createAlertRule: { id: string } }>(
      api.url,
      'mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }',
      { r: rule },
    );
    probeRules.set(probeId(i), createAlertRule.id);
  }
  for (const rule of backgroundRules(RULES - PROBES)) {
    await gqlAdmin(api.url, 'mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }', {
      r: { ...rule, targetIds: [target.id] },
    });
  }
  const ruleOfAgent = new Map([...probeRules].map(([agent, rule]) => [rule, agent]));

  // Every transition as received; the probes' matched afterwards by agent and order.
  const transitions: Array<{ transition: Transition; at: number }> = [];
  // When call-state published each probe's ring (its session's first live message): the pipeline's share.
  const liveAt = new Map<string, number>();
  // Only the probe agents' channels: the bench parses their messages, not the traffic's 2,000 a second.
  const redisSource = await subscribeRedisLegChanges(
    isolation.redisPrefix,
    (message) => {
      if (message.telephonySessionId.length > 0 && !liveAt.has(message.telephonySessionId))
        liveAt.set(message.telephonySessionId, message.receivedAtMs);
    },
    [...probeRules.keys()],
  );
  context.cleanup.add('close the Redis subscription', () => redisSource.close());
  const closeSubscription = await subscribeAlerts(api.url, (transition, at) => transitions.push({ transition, at }));
  context.cleanup.add('close the alertChanged subscription', () => closeSubscription());

  // Before the traffic: probes one at a time on the idle pipeline. The first is a warm-up (call-state joins its group,
  // the evaluator takes its lease, the delivery starts: a fresh pipeline's first seconds are not the alerting's) and is
  // left out; the others give the alert path when nothing else runs. Their transitions are left out of the rest.
  const idleSender = new WebhookSender(ingest.url);
  const idleFire: number[] = [];
  const idleHook: number[] = [];
  const arrived = (ruleId: string, status: string, after: number) =>
    transitions.find(({ transition, at }) => transition.ruleId === ruleId && transition.status === status && at > after);
  // The warm-up's transitions may be published before the API's alertChanged subscription is live (graphql-ws
  // acknowledges the connection before the server has subscribed; seen once under --profile, the bench then waited out
  // its 90 s): for the warm-up only, its fresh rule's history (the outbox) counts too, read at most every 500 ms.
  let historyReadAt = 0;
  const arrivedOrKept = async (warmUp: boolean, ruleId: string, status: string, after: number) => {
    const live = arrived(ruleId, status, after);
    if (live || !warmUp || nowMs() - historyReadAt < 500) return live;
    historyReadAt = nowMs();
    const { alertHistory } = await gqlAdmin<{ alertHistory: Transition[] }>(
      api.url,
      'query($r: ID) { alertHistory(first: 10, ruleId: $r) { id ruleId subject status seq conditionKind at } }',
      { r: ruleId },
    );
    const kept = alertHistory.find((transition) => transition.status === status);
    return kept ? { transition: kept, at: nowMs() } : undefined;
  };
  for (let k = 0; k <= IDLE_PROBES; k += 1) {
    const agent = probeId(k % PROBES);
    const ruleId = probeRules.get(agent) as string;
    const call = probeCall(agent, 9_000_000 + k);
    for (const body of call.ring.slice(0, -1)) await idleSender.send(body);
    const posted = nowMs();
    await idleSender.send(call.ring[call.ring.length - 1] as string);
    for (const body of call.beforeAnswer) await idleSender.send(body);
    const fired = await waitFor(() => arrivedOrKept(k === 0, ruleId, 'FIRING', posted), {
      timeoutMs: 90000,
      intervalMs: 20,
      what: 'an idle probe firing',
    });
    await waitFor(() => receiver.received.has(fired.transition.id), {
      timeoutMs: 90000,
      intervalMs: 20,
      what: 'an idle probe delivered',
    });
    if (k > 0) {
      idleFire.push(fired.at - posted);
      idleHook.push((receiver.received.get(fired.transition.id) as number) - posted);
    }
    const answeredAt = nowMs();
    for (const body of call.answer) await idleSender.send(body);
    await waitFor(() => arrivedOrKept(k === 0, ruleId, 'RESOLVED', answeredAt), {
      timeoutMs: 90000,
      intervalMs: 20,
      what: 'an idle probe resolving',
    });
  }
  idleSender.close();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  transitions.length = 0;
  receiver.received.clear();

  const sender = new WebhookSender(ingest.url);
  const probeSender = new WebhookSender(ingest.url, 16);
  await sender.open();
  await probeSender.open();
  const traffic = timedTraffic({ rate: RATE, seconds, firstSeed: 7_000_001, extensionPool: EXTENSIONS });
  const probes: Probe[] = [];
  context.log(`${RULES} rules (${PROBES} probes); ${RATE} events/s for ${seconds} s with a probe ring every ${PROBE_EVERY_MS} ms`);
  const liveDelayBefore = await fetchMetrics(callState.url);
  const apiMetricsBefore = await fetchMetrics(api.url);
  const meter = startCpuMeter(pids);
  const pressure = startCpuPressureMeter();
  // The bench's own event loop while it sends: its delays add to every time it measures (the probes' included).
  const benchLoop = monitorEventLoopDelay({ resolution: 10 });
  benchLoop.enable();
  let probing = true;
  const probeLoop = (async () => {
    let index = 0;
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the traffic's first events are due 2 s after it is built
    while (probing) {
      const agent = probeId(index % PROBES);
      const { ring, ringEventMs, session, beforeAnswer, answer } = probeCall(agent, 9_100_000 + index);
      index += 1;
      for (const body of ring.slice(0, -1)) await probeSender.send(body);
      const probe: Probe = {
        agent,
        ruleId: probeRules.get(agent) as string,
        ringPostedAt: nowMs(),
        ringEventMs,
        session,
        answerPostedAt: undefined,
      };
      probes.push(probe);
      await probeSender.send(ring[ring.length - 1] as string);
      probe.ringAcceptedAt = nowMs();
      void (async () => {
        for (const body of beforeAnswer) await probeSender.send(body);
        await new Promise((resolve) => setTimeout(resolve, PROBE_RING_MS));
        probe.answerPostedAt = nowMs();
        for (const body of answer) await probeSender.send(body);
      })();
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  const sending = await sendAtRate(traffic.events, RATE, (event) => sender.send(event.body));
  probing = false;
  await probeLoop;
  const cpu = meter.stop();
  const stalled = pressure.stop();
  benchLoop.disable();
  const benchLoopMs = (nanoseconds: number) => Math.round(nanoseconds / 1e6);
  const topics = topicNames(isolation.topicPrefix);
  const lag = await withAdmin(benchKafka(), (admin) => consumerLag(admin, callStateGroupId(isolation), topics.telephonySessions));
  sender.close();

  // Wait (bounded) for the last probes' transitions and deliveries.
  const expected = probes.filter((probe) => probe.answerPostedAt !== undefined).length * 2;
  const probeTransitions = () => transitions.filter(({ transition }) => ruleOfAgent.has(transition.ruleId));
  await waitFor(() => probeTransitions().length >= expected && receiver.received.size >= expected, {
    timeoutMs: 15000,
    intervalMs: 200,
    what: 'the probes’ transitions',
  }).catch(() => context.log('not every probe transition arrived within 15 s'));
  probeSender.close();
  // Every event's way to the live board, from call-state's own histogram (ingest's receipt to the apply written).
  const liveDelayMetric = 'callpulse_call_state_live_delay_seconds';
  const liveDelayAfter = await fetchMetrics(callState.url);
  const liveDelay = (q: number) => quantileMsBetween(liveDelayBefore, liveDelayAfter, liveDelayMetric, q);
  // The evaluator's own runs while sending (its histogram): a ring's message waits for the run in flight, then takes one.
  const apiMetricsAfter = await fetchMetrics(api.url);
  const evaluationMetric = 'callpulse_api_alert_evaluation_seconds';
  const evaluation = (q: number) => quantileMsBetween(apiMetricsBefore, apiMetricsAfter, evaluationMetric, q);
  const evaluationsCount = (text: string | null) => counterValue(text ?? '', `${evaluationMetric}_count`);
  const evaluations = (evaluationsCount(apiMetricsAfter) ?? 0) - (evaluationsCount(apiMetricsBefore) ?? 0);
  const heldMetric = 'callpulse_call_state_emissions_held_total';
  const heldAfter = counterValue(liveDelayAfter ?? '', heldMetric);
  const held = heldAfter === null ? null : heldAfter - (counterValue(liveDelayBefore ?? '', heldMetric) ?? 0);

  // Match: a probe agent's FIRING to its probe by the ring's eventTime (the alert's `at`: when the ring began), its
  // RESOLVED by the next seq of the same alert.
  let duplicates = 0;
  const byId = new Map<string, { transition: Transition; at: number }>();
  for (const item of probeTransitions()) {
    if (byId.has(item.transition.id)) duplicates += 1;
    else byId.set(item.transition.id, item);
  }
  const bySeq = new Map([...byId.values()].map((item) => [`${item.transition.ruleId}|${item.transition.seq}`, item]));
  let unmatched = 0;
  for (const item of byId.values()) {
    if (item.transition.status !== 'FIRING') continue;
    const agent = ruleOfAgent.get(item.transition.ruleId);
    const firedAtMs = Date.parse(item.transition.at);
    const probe = probes.find(
      (candidate) => candidate.agent === agent && Math.abs(candidate.ringEventMs - firedAtMs) < 1000 && candidate.firedAt === undefined,
    );
    if (!probe) {
      unmatched += 1;
      continue;
    }
    probe.firedAt = item.at;
    probe.firedWebhookAt = receiver.received.get(item.transition.id);
    const resolved = bySeq.get(`${item.transition.ruleId}|${item.transition.seq + 1}`);
    if (resolved?.transition.status === 'RESOLVED') {
      probe.resolvedAt = resolved.at;
      probe.resolvedWebhookAt = receiver.received.get(resolved.transition.id);
    }
  }
  for (const probe of probes) probe.liveAt = liveAt.get(probe.session);
  if (PROBES_FILE) writeFileSync(PROBES_FILE, `${probes.map((probe) => JSON.stringify(probe)).join('\n')}\n`);
  const alerting = probes.flatMap((probe) =>
    probe.firedAt === undefined || probe.liveAt === undefined ? [] : [probe.firedAt - probe.liveAt],
  );
  const fire = probes.flatMap((probe) => (probe.firedAt === undefined ? [] : [probe.firedAt - probe.ringPostedAt]));
  // The pipeline's share of a fired probe's time, in two: the post until ingest's 200 (ingest, the Kafka produce), then
  // until call-state's live message (Kafka, call-state's fetch and apply).
  const fired = probes.filter((probe) => probe.firedAt !== undefined);
  const accepting = fired.flatMap((probe) => (probe.ringAcceptedAt === undefined ? [] : [probe.ringAcceptedAt - probe.ringPostedAt]));
  const applying = fired.flatMap((probe) =>
    probe.liveAt === undefined || probe.ringAcceptedAt === undefined ? [] : [probe.liveAt - probe.ringAcceptedAt],
  );
  const fireHook = probes.flatMap((probe) => (probe.firedWebhookAt === undefined ? [] : [probe.firedWebhookAt - probe.ringPostedAt]));
  const resolve = probes.flatMap((probe) =>
    probe.resolvedAt === undefined || probe.answerPostedAt === undefined ? [] : [probe.resolvedAt - probe.answerPostedAt],
  );
  const resolveHook = probes.flatMap((probe) =>
    probe.resolvedWebhookAt === undefined || probe.answerPostedAt === undefined ? [] : [probe.resolvedWebhookAt - probe.answerPostedAt],
  );
  const otherKinds = new Map<string, number>();
  for (const { transition } of transitions) {
    if (!ruleOfAgent.has(transition.ruleId)) otherKinds.set(transition.conditionKind, (otherKinds.get(transition.conditionKind) ?? 0) + 1);
  }
  const others = [...otherKinds.values()].reduce((sum, n) => sum + n, 0);
  const othersText =
    others === 0
      ? ''
      : ` (${[...otherKinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}: an agent ringing or a wait past a minute means events reached the API over a minute after their eventTime)`;

  const figures: Figure[] = [
    figure(part, `idle, ${RULES} rules: event to alertChanged p50`, round(percentile(idleFire, 50), 0), 'ms'),
    figure(part, `idle, ${RULES} rules: event to alertChanged max`, idleFire.length > 0 ? round(Math.max(...idleFire), 0) : null, 'ms'),
    figure(part, `idle, ${RULES} rules: event to webhook POST max`, idleHook.length > 0 ? round(Math.max(...idleHook), 0) : null, 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: event to alertChanged p50`, round(percentile(fire, 50), 0), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: event to alertChanged p99`, round(percentile(fire, 99), 0), 'ms', {
      goal: { op: '<=', value: 1000 },
    }),
    figure(part, `${RATE}/s: the ring's post to ingest's 200 p50`, round(percentile(accepting, 50), 0), 'ms'),
    figure(part, `${RATE}/s: the ring's post to ingest's 200 p99`, round(percentile(accepting, 99), 0), 'ms'),
    figure(part, `${RATE}/s: ingest's 200 to call-state's live message p50`, round(percentile(applying, 50), 0), 'ms'),
    figure(part, `${RATE}/s: ingest's 200 to call-state's live message p99`, round(percentile(applying, 99), 0), 'ms'),
    figure(part, `${RATE}/s: every event, ingest's receipt to call-state's apply p50 (its histogram)`, liveDelay(0.5), 'ms'),
    figure(part, `${RATE}/s: every event, ingest's receipt to call-state's apply p99 (its histogram)`, liveDelay(0.99), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: ring's live message (Redis) to alertChanged p50`, round(percentile(alerting, 50), 0), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: ring's live message (Redis) to alertChanged p99`, round(percentile(alerting, 99), 0), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: one evaluation of every rule p50 (the API's histogram)`, evaluation(0.5), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: one evaluation of every rule p99 (the API's histogram)`, evaluation(0.99), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: event to webhook POST p50`, round(percentile(fireHook, 50), 0), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: event to webhook POST p99`, round(percentile(fireHook, 99), 0), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: resolving event to alertChanged p99`, round(percentile(resolve, 99), 0), 'ms'),
    figure(part, `${RATE}/s, ${RULES} rules: resolving event to webhook POST p99`, round(percentile(resolveHook, 99), 0), 'ms'),
    figure(part, 'probe alerts that fired', fire.length, `of ${probes.length}`),
    figure(part, 'duplicate transitions on the subscription', duplicates, 'messages', { goal: { op: '<=', value: 0 } }),
    // The offered rate is a schedule: when ingest answers slower, requests wait in the sender (256 connections at most)
    // and the traffic takes longer to go through; this is the rate ingest actually took.
    figure(part, `${RATE}/s offered: events accepted by ingest per second`, round(traffic.events.length / sending.seconds, 0), '/s'),
    figure(part, 'call-state lag at end of sending (committed offsets: includes the commit interval)', lag, 'events'),
    // What bounds every latency above on a small machine: near 100 % a runnable process waits for a core most of the time.
    figure(
      part,
      `${RATE}/s: time some runnable task waited for a core (PSI cpu some)`,
      stalled === null ? null : round(stalled * 100, 0),
      '%',
    ),
  ];
  const notes = [
    `the whole pipeline (ingest, call-state, reporting, the API with the evaluator and delivery, one instance each); ${RATE} events/s of every scenario over ${EXTENSIONS} monitored agents for ${seconds} s (${traffic.events.length} events in ${sending.seconds.toFixed(1)} s, schedule slipped at most ${Math.round(sending.behindMs)} ms, ${sender.failures} failed)`,
    `idle pipeline, before the traffic: ${IDLE_PROBES} probes one at a time after a warm-up probe (left out), each rung, waited for (alertChanged and the receiver's POST), answered and waited for its resolution`,
    `${RULES} rules: ${PROBES} probe rules (AGENT_RINGING over 0 s, one probe agent each, CRITICAL, to a local webhook receiver) and ${RULES - PROBES} rules of every kind over all agents, the queue and sets of 20 agents (thresholds the traffic does not cross; a third with forSeconds 30), all notifying the receiver`,
    `a probe call every ${PROBE_EVERY_MS} ms rings a probe agent (its ringing webhook posted to ingest: the event that crosses the threshold) and is answered ${PROBE_RING_MS} ms later (the event that resolves it); event to alert: that post -> the alertChanged message received by a graphql-ws client, and -> the receiver's first POST of that transition (X-Callpulse-Delivery); the alerting's own share: call-state's first live message of the probe's session heard on Redis pub/sub -> alertChanged`,
    `${probes.length} probes: ${fire.length} fired, ${resolve.length} resolved seen on the subscription, ${fireHook.length} + ${resolveHook.length} posted to the receiver (${receiver.posts()} POSTs in all); ${unmatched} FIRING not matched to a probe by its time; ${duplicates} duplicates; ${others} transitions of the background rules${othersText}; CPU while sending (share of one core): ${cpu}; the bench's own event loop delay while sending p50 ${benchLoopMs(benchLoop.percentile(50))} ms, p99 ${benchLoopMs(benchLoop.percentile(99))} ms, max ${benchLoopMs(benchLoop.max)} ms`,
    `the evaluator while sending and after: ${evaluations} evaluations of every rule (${(evaluations / Math.max(1, sending.seconds)).toFixed(1)} per second of sending), each p50 ${evaluation(0.5) ?? 'n/a'} ms, p99 ${evaluation(0.99) ?? 'n/a'} ms (callpulse_api_alert_evaluation_seconds, interpolated within its buckets: 1, 2.5, 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5 s)`,
    `call-state's emission gate held ${held ?? 'n/a'} due sessions while sending and after (callpulse_call_state_emissions_held_total: records that need the grace put back a second while a worker was over 10 s behind, silent, leaving or not fetching; CALL_STATE_EMIT_GATE_MAX_MS=${process.env.CALL_STATE_EMIT_GATE_MAX_MS ?? 'default'})`,
  ];
  return { part, figures, notes };
}
