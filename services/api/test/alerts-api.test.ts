// Alert rules and targets through the built API (admin-only, every bad field named, a target named by a rule not
// deletable, the secret never returned); a firing alert of a rule disabled or deleted resolves once (the pulse written
// here as call-state writes it); and the commit script against the real Redis: two evaluators committing the same
// transition commit it once (one outbox entry, one alertChanged message).
import { randomUUID } from 'node:crypto';
import { type AlertInstance, type AlertTransition, redisChannels, redisKeys } from '@callpulse/contracts';
import { createClickHouseClient, createRedis, createSubscriber, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { commitTransition, defineAlertScripts } from '../src/alerts/commit.js';
import { gql, metricValue } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_alerts'));
const ADMIN = 'alerts-admin-key';
const VIEWER = 'alerts-viewer-key';
let api: Started;

beforeAll(async () => {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(iso.name)}` }); // ready needs it
  await clickhouse.close();
  api = await startService('api', iso, { API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`, API_ALERT_EVALUATOR: '0' });
});

afterAll(async () => {
  expect(await api.process.stop()).toBe(0);
  await cleanUp(iso);
});

const ruleFields =
  'id name enabled severity scope { kind queueId extensionIds } condition { kind threshold windowMinutes } forSeconds targets { id name } createdAt updatedAt';
const targetFields = 'id name kind url hasSecret enabled';

describe('alert rules and targets', () => {
  it('creates, lists, updates, switches and deletes them; refuses a viewer, bad fields and a target in use', async () => {
    const created = await gql(api.url, `mutation($t: AlertTargetInput!) { createAlertTarget(target: $t) { ${targetFields} } }`, {
      key: ADMIN,
      variables: { t: { name: 'Ops hook', kind: 'WEBHOOK', url: 'http://127.0.0.1:9/hook', secret: 's3cret' } },
    });
    expect(created.errors).toBeUndefined();
    const target = created.data?.createAlertTarget;
    expect(target).toMatchObject({ name: 'Ops hook', kind: 'WEBHOOK', hasSecret: true, enabled: true });
    expect(JSON.stringify(created)).not.toContain('s3cret');

    const rule = {
      name: 'Queue waiting',
      scope: { kind: 'QUEUE', queueId: 'q-1' },
      condition: { kind: 'QUEUE_WAITING', threshold: 3 },
      forSeconds: 30,
      targetIds: [target.id],
    };
    const viewer = await gql(api.url, 'mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }', {
      key: VIEWER,
      variables: { r: rule },
    });
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viewerList = await gql(api.url, '{ alertRules { id } }', { key: VIEWER });
    expect(viewerList.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bad = await gql(api.url, 'mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }', {
      key: ADMIN,
      variables: { r: { ...rule, condition: { kind: 'MISSED_CALLS', threshold: 2 }, targetIds: ['t-none'] } },
    });
    expect(bad.errors?.[0]?.message).toBe(
      'condition.windowMinutes: required for MISSED_CALLS (1-120); targetIds[0]: no alert target "t-none"',
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'rule.condition.windowMinutes' });

    const made = await gql(api.url, `mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { ${ruleFields} } }`, {
      key: ADMIN,
      variables: { r: rule },
    });
    expect(made.errors).toBeUndefined();
    const saved = made.data?.createAlertRule;
    expect(saved).toMatchObject({
      name: 'Queue waiting',
      enabled: true,
      severity: 'WARNING',
      scope: { kind: 'QUEUE', queueId: 'q-1', extensionIds: [] },
      condition: { kind: 'QUEUE_WAITING', threshold: 3, windowMinutes: null },
      forSeconds: 30,
      targets: [{ id: target.id, name: 'Ops hook' }],
    });
    expect(Date.parse(saved.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const updated = await gql(api.url, `mutation($id: ID!, $r: AlertRuleInput!) { updateAlertRule(id: $id, rule: $r) { ${ruleFields} } }`, {
      key: ADMIN,
      variables: {
        id: saved.id,
        r: { ...rule, severity: 'CRITICAL', condition: { kind: 'SERVICE_LEVEL', threshold: 80, windowMinutes: 15 } },
      },
    });
    expect(updated.data?.updateAlertRule).toMatchObject({
      id: saved.id,
      severity: 'CRITICAL',
      condition: { kind: 'SERVICE_LEVEL', windowMinutes: 15 },
    });
    const off = await gql(api.url, `mutation($id: ID!) { setAlertRuleEnabled(id: $id, enabled: false) { id enabled } }`, {
      key: ADMIN,
      variables: { id: saved.id },
    });
    expect(off.data?.setAlertRuleEnabled).toEqual({ id: saved.id, enabled: false });

    const inUse = await gql(api.url, 'mutation($id: ID!) { deleteAlertTarget(id: $id) }', { key: ADMIN, variables: { id: target.id } });
    expect(inUse.errors?.[0]?.message).toBe('the target is named by rule "Queue waiting": remove it from them first');

    // An update without a secret keeps it; the list shows what is stored.
    const renamed = await gql(
      api.url,
      `mutation($id: ID!, $t: AlertTargetInput!) { updateAlertTarget(id: $id, target: $t) { ${targetFields} } }`,
      {
        key: ADMIN,
        variables: { id: target.id, t: { name: 'Ops', kind: 'SLACK', url: 'https://hooks.example.com/x' } },
      },
    );
    expect(renamed.data?.updateAlertTarget).toMatchObject({ name: 'Ops', kind: 'SLACK', hasSecret: true });
    const listed = await gql(api.url, `{ alertRules { id enabled } alertTargets { ${targetFields} } }`, { key: ADMIN });
    expect(listed.data).toEqual({
      alertRules: [{ id: saved.id, enabled: false }],
      alertTargets: [{ ...renamed.data?.updateAlertTarget }],
    });

    expect(
      (await gql(api.url, 'mutation($id: ID!) { deleteAlertRule(id: $id) }', { key: ADMIN, variables: { id: saved.id } })).data,
    ).toEqual({
      deleteAlertRule: true,
    });
    expect(
      (await gql(api.url, 'mutation($id: ID!) { deleteAlertTarget(id: $id) }', { key: ADMIN, variables: { id: target.id } })).data,
    ).toEqual({
      deleteAlertTarget: true,
    });
    const empty = await gql(api.url, '{ alertRules { id } alertTargets { id } activeAlerts { id } alertHistory { id } }', { key: ADMIN });
    expect(empty.data).toEqual({ alertRules: [], alertTargets: [], activeAlerts: [], alertHistory: [] });
  });
});

describe('a rule switched off', () => {
  it('resolves its firing alert once when disabled or deleted, and fires again (next seq) when enabled', async () => {
    const keys = redisKeys(iso.env.REDIS_KEY_PREFIX);
    const redis = createRedis(redisUrl);
    const evaluator = await startService('api', iso, { API_KEYS: `admin:${ADMIN}`, API_ALERT_TICK_MS: '100' });
    try {
      // The pipeline heard its last event a minute ago, and a worker applied events 20 minutes late just now.
      await redis.hset(keys.pipelinePulse, {
        lastEventAtMs: String(Date.now() - 60_000),
        'lag:test-worker': JSON.stringify({ lagMs: 1_200_000, atMs: Date.now() + 60_000 }),
      });
      const create = async (rule: Record<string, unknown>) =>
        (
          await gql(evaluator.url, 'mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }', {
            key: ADMIN,
            variables: { r: rule },
          })
        ).data?.createAlertRule.id as string;
      const deaf = await create({ name: 'Deaf', scope: { kind: 'ALL' }, condition: { kind: 'NO_EVENTS', threshold: 30 } });
      const late = await create({
        name: 'Late',
        scope: { kind: 'ALL' },
        condition: { kind: 'EVENTS_LATE', threshold: 600 },
        severity: 'CRITICAL',
      });
      const transitions = async (ruleId: string) =>
        ((await redis.xrange(keys.alertOutbox, '-', '+')) as Array<[string, string[]]>)
          .map(([, fields]) => JSON.parse(fields[1] ?? '{}'))
          .filter((transition) => transition.ruleId === ruleId)
          .map((transition) => `${transition.status}#${transition.seq}`);
      const until = (ruleId: string, wanted: string[]) =>
        waitFor(async () => JSON.stringify(await transitions(ruleId)) === JSON.stringify(wanted), { what: `${wanted.join(', ')}` });
      await until(deaf, ['FIRING#1']);
      await until(late, ['FIRING#1']);
      const active = await gql(evaluator.url, '{ activeAlerts { ruleName severity subject status value threshold summary } }', {
        key: ADMIN,
      });
      // Both began holding at the same evaluation: their order between them is the ids'.
      const firing = [...(active.data?.activeAlerts ?? [])].sort((a: { ruleName: string }, b: { ruleName: string }) =>
        a.ruleName.localeCompare(b.ruleName),
      );
      expect(firing).toEqual([
        expect.objectContaining({ ruleName: 'Deaf', subject: 'pipeline', status: 'FIRING', threshold: 30 }),
        expect.objectContaining({
          ruleName: 'Late',
          severity: 'CRITICAL',
          subject: 'pipeline',
          status: 'FIRING',
          value: 1200,
          threshold: 600,
        }),
      ]);
      expect(firing[1].summary).toBe('Pipeline: events applied 20 min after their eventTime (threshold 10 min)');

      const switchTo = (id: string, enabled: boolean) =>
        gql(evaluator.url, 'mutation($id: ID!, $on: Boolean!) { setAlertRuleEnabled(id: $id, enabled: $on) { id } }', {
          key: ADMIN,
          variables: { id, on: enabled },
        });
      await switchTo(deaf, false);
      await until(deaf, ['FIRING#1', 'RESOLVED#2']);
      await switchTo(deaf, true);
      await until(deaf, ['FIRING#1', 'RESOLVED#2', 'FIRING#3']);
      await gql(evaluator.url, 'mutation($id: ID!) { deleteAlertRule(id: $id) }', { key: ADMIN, variables: { id: late } });
      await until(late, ['FIRING#1', 'RESOLVED#2']);
      const history = await gql(evaluator.url, '{ alertHistory(first: 2) { ruleName status seq firedAt summary } }', { key: ADMIN });
      expect(history.data?.alertHistory[0]).toMatchObject({ ruleName: 'Late', status: 'RESOLVED', seq: 2 });
      expect(history.data?.alertHistory[0].summary).toMatch(/^Resolved after \d+ s: Pipeline$/);
      await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more comes
      expect(await transitions(deaf)).toEqual(['FIRING#1', 'RESOLVED#2', 'FIRING#3']);
      expect(await transitions(late)).toEqual(['FIRING#1', 'RESOLVED#2']);
      expect(await metricValue(evaluator.url, 'callpulse_api_alert_evaluating')).toBe(1);
      expect(await metricValue(evaluator.url, 'callpulse_api_alert_transitions_total', 'status="FIRING"')).toBe(3);
      expect(await metricValue(evaluator.url, 'callpulse_api_alert_transitions_total', 'status="RESOLVED"')).toBe(2);
      expect(await metricValue(api.url, 'callpulse_api_alert_evaluating')).toBe(0); // API_ALERT_EVALUATOR=0
    } finally {
      expect(await evaluator.process.stop()).toBe(0);
      redis.disconnect();
    }
  });
});

describe('the commit script', () => {
  it('commits a transition once however many evaluators try, and each next one only from the state it follows', async () => {
    const prefix = `${iso.name}:cas-${randomUUID().slice(0, 8)}:`;
    const keys = redisKeys(prefix);
    const channels = redisChannels(prefix);
    const a = createRedis(redisUrl);
    const b = createRedis(redisUrl);
    defineAlertScripts(a);
    defineAlertScripts(b);
    const subscriber = createSubscriber(redisUrl);
    const published: string[] = [];
    subscriber.on('message', (_channel, message) => published.push(message));
    await subscriber.subscribe(channels.alertChanged);
    const transition = (seq: number, status: 'FIRING' | 'RESOLVED'): { transition: AlertTransition; state: AlertInstance } => {
      const t: AlertTransition = {
        id: `r1:q1:${seq}`,
        ruleId: 'r1',
        ruleName: 'Rule',
        severity: 'WARNING',
        conditionKind: 'QUEUE_WAITING',
        subject: 'q1',
        subjectName: null,
        status,
        seq,
        value: 3,
        threshold: 1,
        atMs: Date.now(),
        firedAtMs: null,
        summary: 'x',
        targetIds: [],
      };
      return { transition: t, state: { ruleId: 'r1', subject: 'q1', status, seq, lastTransition: t } };
    };
    const fire = transition(1, 'FIRING');
    const outcomes = await Promise.all([
      commitTransition(a, keys, channels, 0, fire.transition, fire.state),
      commitTransition(b, keys, channels, 0, fire.transition, fire.state),
      commitTransition(a, keys, channels, 0, fire.transition, fire.state),
    ]);
    expect(outcomes.filter((outcome) => outcome.committed)).toHaveLength(1);
    const refused = outcomes.find((outcome) => !outcome.committed);
    expect(refused).toMatchObject({ committed: false, current: { status: 'FIRING', seq: 1 } });
    // A resolve read from the state before the firing (seq 0) is refused; from the firing (seq 1) it commits.
    const resolve = transition(2, 'RESOLVED');
    expect((await commitTransition(b, keys, channels, 0, resolve.transition, resolve.state)).committed).toBe(false);
    expect((await commitTransition(b, keys, channels, 1, resolve.transition, resolve.state)).committed).toBe(true);
    const entries = (await a.xrange(keys.alertOutbox, '-', '+')) as Array<[string, string[]]>;
    expect(entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}').id)).toEqual(['r1:q1:1', 'r1:q1:2']);
    await waitFor(() => published.length >= 2, { what: 'the two alertChanged messages' });
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    expect(published.map((message) => JSON.parse(message).id)).toEqual(['r1:q1:1', 'r1:q1:2']);
    subscriber.disconnect();
    a.disconnect();
    b.disconnect();
  });
});
