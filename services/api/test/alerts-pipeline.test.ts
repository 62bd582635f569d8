// Alerts through the whole pipeline (built services as child processes, the real Kafka, Redis and ClickHouse):
// simulated calls posted to ingest's webhook make each condition fire and resolve EXACTLY ONCE, with two call-state
// workers and two API instances evaluating the same rules, the evaluating one stopped half-way (the other takes over,
// reads the window back from ClickHouse, and neither fires again nor misses the resolve). Counted in the outbox, on
// the alertChanged channel and on the alertChanged subscription.
import { randomInt } from 'node:crypto';
import { redisChannels, redisKeys, type TelephonyNotification } from '@callpulse/contracts';
import { createRedis, createSubscriber } from '@callpulse/platform';
import { type BuiltScenario, buildScenario, type ScenarioParams } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { gql, type Json, sseSubscribe } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_alerts_pipe'));
const keys = redisKeys(iso.env.REDIS_KEY_PREFIX);
const channels = redisChannels(iso.env.REDIS_KEY_PREFIX);
const ADMIN = 'alerts-pipeline-admin';
const apiEnv = { API_KEYS: `admin:${ADMIN}`, LOG_LEVEL: 'info', API_ALERT_TICK_MS: '200' };
const redis = createRedis(redisUrl);
const subscriber = createSubscriber(redisUrl);
const published: Json[] = [];
const services: Started[] = [];
let ingest: Started;
let apis: Started[] = [];

const id = () => `7${randomInt(1e8, 1e9)}`;
const q1 = id();
const q2 = id();
const queueAgents = [id(), id(), id()];
const abandonAgents = [id(), id(), id()];
const missedAgent = id();
const holdAgent = id();
const pipelineAgent = id();

type Notification = TelephonyNotification;

/**
 * The scenario with its times moved so that the first notification matching `at` happened `agoMs` before now
 * (`at` absent: the last one happened `agoMs` ago); split into what comes before that notification (included) and the rest.
 */
function scenarioAt(
  name: string,
  params: Partial<ScenarioParams>,
  agoMs: number,
  at?: (notification: Notification) => boolean,
): { before: Notification[]; rest: Notification[]; built: BuiltScenario } {
  const base = 1_700_000_000_000;
  const draft = buildScenario(name, { ...params, startMs: base });
  const index = at ? draft.notifications.findIndex(({ notification }) => at(notification)) : draft.notifications.length - 1;
  if (index < 0) throw new Error(`no notification of ${name} matches`);
  const offset = Date.parse(draft.notifications[index]?.notification.body.eventTime ?? '') - base;
  const built = buildScenario(name, { ...params, startMs: Date.now() - offset - agoMs });
  const all = built.notifications.map(({ notification }) => notification);
  return { before: all.slice(0, index + 1), rest: all.slice(index + 1), built };
}

const partyIs = (extensionId: string, code: string) => (notification: Notification) =>
  notification.body.parties.some((party) => party.extensionId === extensionId && party.status.code === code);

async function post(notifications: Notification[]): Promise<void> {
  for (const notification of notifications) {
    const response = await fetch(`${ingest.url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
    });
    expect(response.status).toBe(200);
  }
}

async function createRule(rule: Record<string, unknown>): Promise<string> {
  const result = await gql(apis[0]?.url ?? '', 'mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }', {
    key: ADMIN,
    variables: { r: rule },
  });
  expect(result.errors).toBeUndefined();
  return result.data?.createAlertRule.id;
}

/** The outbox's transitions of a rule, oldest first, as `STATUS#seq`. */
async function outboxOf(ruleId: string): Promise<string[]> {
  const entries = (await redis.xrange(keys.alertOutbox, '-', '+')) as Array<[string, string[]]>;
  return entries
    .map(([, fields]) => JSON.parse(fields[1] ?? '{}'))
    .filter((transition) => transition.ruleId === ruleId)
    .map((transition) => `${transition.status}#${transition.seq}`);
}

const until = async (ruleId: string, wanted: string[], timeoutMs = 20_000) => {
  try {
    await waitFor(async () => JSON.stringify(await outboxOf(ruleId)) === JSON.stringify(wanted), {
      timeoutMs,
      what: `rule ${ruleId} to have ${wanted.join(', ')}`,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}; it has ${JSON.stringify(await outboxOf(ruleId))}`);
  }
};

const evaluates = (api: Started) => api.process.output().split('alerts: this instance evaluates the rules').length - 1;
const standsDown = (api: Started) => api.process.output().split('alerts: this instance no longer evaluates the rules').length - 1;

beforeAll(async () => {
  subscriber.on('message', (_channel, message) => published.push(JSON.parse(message)));
  await subscriber.subscribe(channels.alertChanged);
  // Two call-state workers share the partitions; each writes its own lag into the pulse.
  for (const service of ['reporting', 'call-state', 'call-state', 'ingest'] as const) services.push(await startService(service, iso));
  ingest = services[3] as Started;
  apis = [await startService('api', iso, apiEnv), await startService('api', iso, apiEnv)];
});

afterAll(async () => {
  for (const api of apis) await api.process.stop();
  for (const service of services.reverse()) expect(await service.process.stop()).toBe(0);
  subscriber.disconnect();
  redis.disconnect();
  await cleanUp(iso);
});

describe('alerts on the live pipeline', () => {
  it('fires and resolves each condition exactly once with two workers, two evaluating instances and a take-over', {
    timeout: 240_000,
  }, async () => {
    const [apiA, apiB] = apis as [Started, Started];
    const sse = {
      a: await sseSubscribe(apiA.url, 'subscription { alertChanged { id ruleId status seq summary at } }', ADMIN),
      b: await sseSubscribe(apiB.url, 'subscription { alertChanged { id ruleId status seq summary at } }', ADMIN),
    };
    const waiting = await createRule({
      name: 'Q1 waiting',
      scope: { kind: 'QUEUE', queueId: q1 },
      condition: { kind: 'QUEUE_WAITING', threshold: 0 },
      forSeconds: 1,
    });
    const longest = await createRule({
      name: 'Q1 longest wait',
      scope: { kind: 'QUEUE', queueId: q1 },
      condition: { kind: 'LONGEST_WAIT', threshold: 5 },
    });
    const ringing = await createRule({
      name: 'Ringing',
      scope: { kind: 'EXTENSIONS', extensionIds: [missedAgent] },
      condition: { kind: 'AGENT_RINGING', threshold: 5 },
    });
    const onHold = await createRule({
      name: 'On hold',
      scope: { kind: 'EXTENSIONS', extensionIds: [holdAgent] },
      condition: { kind: 'AGENT_ON_HOLD', threshold: 3 },
    });
    const missed = await createRule({
      name: 'Missed',
      scope: { kind: 'EXTENSIONS', extensionIds: [missedAgent] },
      condition: { kind: 'MISSED_CALLS', threshold: 0, windowMinutes: 1 },
    });
    const abandoned = await createRule({
      name: 'Abandoned',
      scope: { kind: 'QUEUE', queueId: q2 },
      condition: { kind: 'ABANDONED_CALLS', threshold: 0, windowMinutes: 1 },
    });
    const serviceLevel = await createRule({
      name: 'SL',
      scope: { kind: 'QUEUE', queueId: q1 },
      condition: { kind: 'SERVICE_LEVEL', threshold: 50, windowMinutes: 1 },
    });

    // Live: a queue call ringing its members for 22 s (answered 25 s after the ring started: outside the 20 s service
    // level), an agent ringing for 8 s (a missed call, ended after 9 s), an agent on hold for 5 s.
    const queueCall = scenarioAt(
      'queue-answered',
      { seed: 3, agentExtensionIds: queueAgents, queueExtensionId: q1, queueWaitMs: 2000, ringMs: 25_000, talkMs: 1000 },
      22_000,
      partyIs(queueAgents[2] as string, 'Proceeding'),
    );
    const missedCall = scenarioAt(
      'inbound-missed',
      { seed: 4, agentExtensionIds: [missedAgent], ringMs: 9000 },
      8000,
      partyIs(missedAgent, 'Proceeding'),
    );
    const holdCall = scenarioAt(
      'inbound-answered-two-holds',
      { seed: 5, agentExtensionIds: [holdAgent], holdMs: 20_000 },
      5000,
      partyIs(holdAgent, 'Hold'),
    );
    await post([...queueCall.before, ...missedCall.before, ...holdCall.before]);
    for (const rule of [waiting, longest, ringing, onHold]) await until(rule, ['FIRING#1']);

    // The calls go on: the queue call is answered, the ringing agent's call is missed, the hold ends.
    const abandonedCall = scenarioAt(
      'queue-abandoned',
      { seed: 6, agentExtensionIds: abandonAgents, queueExtensionId: q2, queueWaitMs: 2000, ringMs: 4000 },
      1000,
    );
    await post([...queueCall.rest, ...missedCall.rest, ...holdCall.rest.slice(0, 1), ...abandonedCall.before, ...abandonedCall.rest]);
    for (const rule of [waiting, longest, ringing, onHold]) await until(rule, ['FIRING#1', 'RESOLVED#2']);
    for (const rule of [missed, abandoned, serviceLevel]) await until(rule, ['FIRING#1']);

    // The evaluating instance stops; a new one starts; the other takes over with the window read from ClickHouse.
    const holder = evaluates(apiA) > standsDown(apiA) ? apiA : apiB;
    const other = holder === apiA ? apiB : apiA;
    expect(evaluates(holder)).toBe(1);
    expect(evaluates(other)).toBe(0);
    expect(await holder.process.stop()).toBe(0);
    apis = apis.filter((api) => api !== holder);
    apis.push(await startService('api', iso, apiEnv));
    await waitFor(() => evaluates(other) === 1, { what: 'the other instance to take over' });
    await waitFor(() => other.process.output().includes('completed-leg window seeded from ClickHouse'), { what: 'the window seeded' });

    // The windows (1 minute) pass: each windowed alert resolves once.
    for (const rule of [missed, abandoned, serviceLevel]) await until(rule, ['FIRING#1', 'RESOLVED#2'], 90_000);
    // Resolved when the missed leg left the 1-minute window, not earlier (the window was read back at the take-over).
    for (const rule of [missed, abandoned]) {
      const [fired, resolved] = published.filter((transition) => transition.ruleId === rule);
      expect(resolved.atMs - fired.atMs).toBeGreaterThan(45_000);
    }

    // The pipeline: silence past 4 s fires at once (nothing was posted for a minute); a call resolves it.
    const silence = await createRule({ name: 'Deaf', scope: { kind: 'ALL' }, condition: { kind: 'NO_EVENTS', threshold: 4 } });
    await until(silence, ['FIRING#1']);
    const fresh = scenarioAt('outbound-answered', { seed: 8, agentExtensionIds: [pipelineAgent] }, 0, partyIs(pipelineAgent, 'Setup'));
    await post(fresh.before);
    await until(silence, ['FIRING#1', 'RESOLVED#2']);
    expect(
      (await gql(other.url, 'mutation($id: ID!) { deleteAlertRule(id: $id) }', { key: ADMIN, variables: { id: silence } })).data,
    ).toEqual({
      deleteAlertRule: true,
    });

    // Events an hour behind their eventTime fire EVENTS_LATE; events on time resolve it.
    const late = await createRule({ name: 'Late', scope: { kind: 'ALL' }, condition: { kind: 'EVENTS_LATE', threshold: 300 } });
    const old = scenarioAt('outbound-answered', { seed: 9, agentExtensionIds: [pipelineAgent] }, 3_600_000);
    await post([...old.before, ...old.rest]);
    await until(late, ['FIRING#1']);
    await post(fresh.rest);
    await until(late, ['FIRING#1', 'RESOLVED#2']);

    // Exactly once everywhere: the outbox, the channel and the subscription of the instance that stayed.
    const rules = { waiting, longest, ringing, onHold, missed, abandoned, serviceLevel, silence, late };
    await new Promise((resolve) => setTimeout(resolve, 1000)); // nothing more arrives
    for (const [name, rule] of Object.entries(rules)) {
      expect(await outboxOf(rule), name).toEqual(['FIRING#1', 'RESOLVED#2']);
      expect(
        published.filter((transition) => transition.ruleId === rule).map((transition) => `${transition.status}#${transition.seq}`),
        name,
      ).toEqual(['FIRING#1', 'RESOLVED#2']);
    }
    const stayed = other === apiA ? sse.a : sse.b;
    expect(stayed.received.map((data: Json) => data.alertChanged.id)).toEqual(published.map((transition) => transition.id));
    sse.a.close();
    sse.b.close();
    expect(published[0]?.summary).toMatch(/^Support Queue: /); // the queue by its name (which says Queue itself)

    const views = await gql(other.url, '{ activeAlerts { id } alertHistory(first: 500) { id ruleName status } }', { key: ADMIN });
    expect(views.data?.activeAlerts).toEqual([]);
    expect(views.data?.alertHistory).toHaveLength(published.length);
  });
});
