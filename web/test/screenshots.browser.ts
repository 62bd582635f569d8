// Screenshots of the live view, the wallboard, the calls explorer, the call drawer, the reports, the alerts and the
// admin page (with the alerts' rules and targets) for the README (docs/img/): 80 agents in the middle of a working
// day. Three hours of their calls go through reporting into ClickHouse (today's figures, the agents' counts, the
// ticker, the sparklines' hour), their calls in progress into Redis as call-state writes them; the API then restarts,
// so the hour before it is rebuilt from the calls. A few simulated calls (an attended transfer with a hold, a queue
// call, two holds) go through the whole pipeline, so their party events are kept for the drawer; the subscription
// record is written with ingest's own writer (no RingCentral here). Not part of the suite (about a minute): `npm run
// screenshots` runs it (screenshots.config.ts) into docs/img, or into the folder CALLPULSE_SCREENSHOTS names.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { type BusinessHours, redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { buildScenario } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceRecords } from '../../services/api/test/support/processes.js';
import { writeSubscriptionRecord } from '../../services/ingest/src/ringcentral/subscription-record.js';
import { clickhouseUrl, redisUrl, uniqueName } from '../../test/support/env.js';
import { waitFor } from '../../test/support/wait.js';
import { launchBrowser } from './support/browser.js';
import { contactCentreDay, dayQueues } from './support/day.js';
import { type Pipeline, startPipeline } from './support/pipeline.js';
import { type FeedAgent, feedAgents, seedAgents, snapshot, writeLegs } from './support/redis-feed.js';

const ADMIN = 'screenshots-admin-key';
const folder = resolve(import.meta.dirname, '../..', process.env.CALLPULSE_SCREENSHOTS || 'docs/img');

/** A zone where it is the middle of the working day now (the page shows that zone's "today"). */
function businessHoursZone(nowMs: number): string {
  const zones = ['Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Singapore', 'Australia/Sydney', 'Europe/London'];
  const hour = (zone: string) =>
    Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(nowMs));
  return zones.find((zone) => hour(zone) >= 10 && hour(zone) < 17) ?? 'Europe/Berlin';
}

/**
 * A few calls of the past half hour played through ingest, call-state and reporting (their party events kept); the
 * attended transfer's first session (ring, talk, a hold, transferred during it) is the drawer's call.
 */
async function playCalls(ingestUrl: string, agents: FeedAgent[], now: number): Promise<string> {
  const id = (index: number) => (agents[index] as FeedAgent).id;
  const calls = [
    buildScenario('attended-transfer', {
      seed: 7,
      startMs: now - 25 * 60_000,
      agentExtensionIds: [id(3), id(4)],
      ringMs: 9_000,
      talkMs: 330_000,
      endedBy: 'customer',
    }),
    // Through the day's Support Queue (the scenario's own queue would stand beside it under the same name).
    buildScenario('queue-answered', {
      seed: 8,
      startMs: now - 22 * 60_000,
      agentExtensionIds: [id(5), id(6), id(7)],
      queueExtensionId: dayQueues[1]?.id,
      queueName: dayQueues[1]?.name,
    }),
    buildScenario('inbound-answered-two-holds', { seed: 9, startMs: now - 18 * 60_000, agentExtensionIds: [id(8)] }),
  ];
  // The scenarios call an agent "Agent 004" at number 004; RingCentral names a party as the directory does.
  const directory = new Map(agents.map((agent) => [agent.id, agent]));
  const named = (_: string, value: unknown) => {
    const party = value as { extensionId?: string; name?: string } | null;
    const agent = party && typeof party === 'object' && party.extensionId ? directory.get(party.extensionId) : undefined;
    return agent && 'name' in (party as object) ? { ...party, name: agent.name, phoneNumber: agent.extensionNumber } : value;
  };
  for (const call of calls) {
    for (const { notification } of call.notifications) {
      const response = await fetch(`${ingestUrl}/webhooks/ringcentral`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(JSON.parse(JSON.stringify(notification), named)),
      });
      expect(response.status).toBe(200);
    }
  }
  return (calls[0] as { expectedLegs: Array<{ telephonySessionId: string }> }).expectedLegs[0]?.telephonySessionId as string;
}

describe('screenshots for the README', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(uniqueName('web_shots'), { LOG_LEVEL: 'warn', API_KEYS: `admin:${ADMIN}` });
  }, 180_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('takes the live view and the wallboard', async () => {
    const prefix = pipeline.iso.env.REDIS_KEY_PREFIX as string;
    const redis = createRedis(redisUrl);
    const agents = feedAgents(80);
    await seedAgents(redis, prefix, agents);
    const now = Date.now();
    const day = contactCentreDay(agents, now);
    await produceRecords(pipeline.iso, day.records);
    const drawerCall = await playCalls(pipeline.ingest.url, agents, now);
    const sessions = day.records.filter((record) => record.kind === 'session').length;
    await waitFor(
      async () => {
        const query = `SELECT count() FROM ${pipeline.iso.name}.sessions`;
        const response = await fetch(`${clickhouseUrl}/?query=${encodeURIComponent(query)}`);
        return Number((await response.text()).trim()) >= sessions;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the day in ClickHouse' },
    );
    await writeLegs(
      redis,
      prefix,
      day.live.map((leg) => snapshot(leg, now)),
    );
    // A restart: the API rebuilds the hour before it from the calls.
    await pipeline.stopApi();
    await pipeline.startApi();
    // The calls in progress again as of now before each picture (loading takes a while; the rings should look like a moment's).
    const freshen = async () => {
      const moment = Date.now();
      await writeLegs(
        redis,
        prefix,
        contactCentreDay(agents, moment).live.map((leg) => snapshot(leg, moment)),
      );
    };

    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1600, height: 980 }, timezoneId: businessHoursZone(now) });
    await context.addInitScript((key) => sessionStorage.setItem('callpulse.key', key), ADMIN);
    const page = await context.newPage();
    await page.goto(pipeline.apiUrl);
    await page.waitForSelector('.agent-row[data-extension-id]', { timeout: 20000 });
    // Today's figures, the hour of every sparkline and the ticker are in.
    await expect.poll(() => page.locator('[data-kpi="offered"] .kpi-value').textContent(), { timeout: 20000 }).toMatch(/^[1-9]/);
    await expect
      .poll(
        () =>
          page
            .locator('.spark[data-points]')
            .evaluateAll((sparks) => Math.min(...sparks.map((spark) => Number(spark.getAttribute('data-points'))))),
        {
          timeout: 20000,
        },
      )
      .toBeGreaterThan(55);
    await expect.poll(() => page.locator('.ticker-list li').count(), { timeout: 20000 }).toBeGreaterThan(8);
    await freshen();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: resolve(folder, 'dashboard-live.png') });
    await page.goto(`${pipeline.apiUrl}/#/wall?pages=kpis,queues,agents&every=3600`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(1000);
    await freshen();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: resolve(folder, 'wallboard-kpis.png') });
    await page.goto(`${pipeline.apiUrl}/#/wall?pages=agents&every=3600`);
    await page.waitForTimeout(1000);
    await freshen();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: resolve(folder, 'wallboard-agents.png') });
    // The calls explorer and the reports over the same day's calls, in the same zone.
    const zone = businessHoursZone(now);
    await page.setViewportSize({ width: 1600, height: 980 });
    await page.goto(`${pipeline.apiUrl}/#/calls?preset=today&timeZone=${zone}&orderBy=TALK`);
    await expect.poll(() => page.locator('.total').getAttribute('data-total'), { timeout: 20000 }).toMatch(/^[1-9]/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: resolve(folder, 'dashboard-calls.png') });
    await page.goto(`${pipeline.apiUrl}/#/reports?preset=today&timeZone=${zone}`);
    await page.waitForSelector('.leaderboard tbody tr', { timeout: 20000 });
    await page.waitForSelector('.heatmap a[data-cell]', { timeout: 20000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: resolve(folder, 'dashboard-reports.png'), fullPage: true });

    // The drawer of the transferred call, explained from its stored events (callTimeline).
    await waitFor(
      async () => {
        const response = await fetch(`${pipeline.apiUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify({ query: `{ callTimeline(telephonySessionId: "${drawerCall}") { legs { partyId ended } } }` }),
        });
        const body = (await response.json()) as { data?: { callTimeline: { legs: Array<{ ended: boolean }> } | null } };
        const legs = body.data?.callTimeline?.legs ?? [];
        return legs.length > 0 && legs.every((leg) => leg.ended);
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the transferred call`s events in ClickHouse' },
    );
    // A supervisor's view of one agent's calls today (the transferring agent's).
    await page.goto(`${pipeline.apiUrl}/#/calls?preset=today&timeZone=${zone}&extensionIds=${(agents[3] as FeedAgent).id}`);
    const row = page.locator(`tr.call[data-session="${drawerCall}"]`);
    await expect.poll(() => row.count(), { timeout: 20000 }).toBe(1);
    await expect
      .poll(() => page.locator('.filters .drill-chip').first().textContent(), { timeout: 10000 })
      .toContain((agents[3] as FeedAgent).name);
    await row.click();
    await page.waitForSelector('.drawer table.events tbody tr', { timeout: 20000 });
    await page.waitForSelector('.drawer svg.phases rect[data-phase=hold]', { timeout: 20000 });
    const drawerHeight = await page.locator('.drawer').evaluate((drawer) => drawer.scrollHeight);
    await page.setViewportSize({ width: 1600, height: Math.max(980, drawerHeight + 4) });
    await page.waitForTimeout(500);
    await page.screenshot({ path: resolve(folder, 'dashboard-drawer.png') });
    await browser.close();
    redis.disconnect();
  }, 240_000);

  it('takes the alerts page with the banner', async () => {
    // The calls in progress as of now again, then rules the board crosses: a long wait, long rings and holds; one fires
    // and is disabled, so the history has resolved alerts.
    const prefix = pipeline.iso.env.REDIS_KEY_PREFIX as string;
    const redis = createRedis(redisUrl);
    const agents = feedAgents(80);
    const moment = Date.now();
    await writeLegs(
      redis,
      prefix,
      contactCentreDay(agents, moment).live.map((leg) => snapshot(leg, moment)),
    );
    const admin = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const response = await fetch(`${pipeline.apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: T; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const create = (rule: Record<string, unknown>) =>
      admin<{ createAlertRule: { id: string } }>('mutation($r: AlertRuleInput!) { createAlertRule(rule: $r) { id } }', { r: rule });
    // Two targets on a local receiver that answers every delivery.
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const target = async (input: Record<string, unknown>) =>
      (
        await admin<{ createAlertTarget: { id: string } }>('mutation($t: AlertTargetInput!) { createAlertTarget(target: $t) { id } }', {
          t: input,
        })
      ).createAlertTarget.id;
    const targetIds = [
      await target({ name: 'Supervisors on call', kind: 'WEBHOOK', url: `${receiverUrl}/alerts`, secret: 'screenshots-hmac-key' }),
      await target({ name: 'Contact-centre Slack channel', kind: 'SLACK', url: `${receiverUrl}/slack` }),
    ];
    const held = await create({
      name: 'Hold over 45 s',
      severity: 'INFO',
      scope: { kind: 'EXTENSIONS', extensionIds: agents.slice(0, 40).map((agent) => agent.id) },
      condition: { kind: 'AGENT_ON_HOLD', threshold: 45 },
      targetIds,
    });
    await create({
      name: 'Caller waiting over 30 s',
      severity: 'CRITICAL',
      scope: { kind: 'ALL' },
      condition: { kind: 'LONGEST_WAIT', threshold: 30 },
      targetIds,
    });
    await create({
      name: 'Ringing over 20 s',
      severity: 'WARNING',
      scope: { kind: 'ALL' },
      condition: { kind: 'AGENT_RINGING', threshold: 20 },
    });
    await create({
      name: 'Hold over 2 min',
      severity: 'WARNING',
      scope: { kind: 'ALL' },
      condition: { kind: 'AGENT_ON_HOLD', threshold: 120 },
    });

    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1600, height: 980 }, timezoneId: businessHoursZone(moment) });
    await context.addInitScript((key) => sessionStorage.setItem('callpulse.key', key), ADMIN);
    const page = await context.newPage();
    await page.goto(`${pipeline.apiUrl}/#/alerts`);
    await expect.poll(() => page.locator('.active-alerts tbody tr').count(), { timeout: 30000 }).toBeGreaterThan(3);
    await expect.poll(() => page.locator(`.active-alerts tr[data-rule-id="${held.createAlertRule.id}"]`).count()).toBeGreaterThan(0);
    await admin('mutation($id: ID!) { setAlertRuleEnabled(id: $id, enabled: false) { id } }', { id: held.createAlertRule.id });
    await expect.poll(() => page.locator('.alert-history tr[data-status=RESOLVED]').count(), { timeout: 20000 }).toBeGreaterThan(0);
    // The page shows what the API has firing (a disable's resolutions and what the board does meanwhile settle first).
    const activeNow = async () => (await admin<{ activeAlerts: unknown[] }>('{ activeAlerts { id } }', {})).activeAlerts.length;
    await page.waitForTimeout(3000);
    await expect
      .poll(async () => (await page.locator('.active-alerts tbody tr').count()) === (await activeNow()), { timeout: 20000 })
      .toBe(true);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: resolve(folder, 'dashboard-alerts.png') });
    // The admin page, with these rules and targets, and the subscription ingest would record (written with ingest's
    // own writer).
    const keys = redisKeys(prefix);
    await writeSubscriptionRecord(redis, keys, {
      id: '7c9d2b64-1f0e-4d7a-9a51-3e2f8b0c6d15',
      status: 'Active',
      expirationTime: new Date(moment + 3650 * 86_400_000).toISOString(),
      address: 'https://callpulse.example.com/webhooks/ringcentral',
      eventFilters: ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'],
      disabledFilters: [],
      problem: '',
      tokenHash: 'none',
      updatedAt: moment - 7 * 60_000,
    });
    // Office hours as an admin would set them (stored as the API's setBusinessHours stores them).
    const weekday = [{ from: '08:00', to: '18:00' }];
    const hours: BusinessHours = {
      timeZone: 'Europe/Berlin',
      week: {
        monday: weekday,
        tuesday: weekday,
        wednesday: weekday,
        thursday: weekday,
        friday: weekday,
        saturday: [{ from: '09:00', to: '13:00' }],
        sunday: [],
      },
      holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31'],
      updatedAtMs: moment - 86_400_000,
    };
    await redis.set(keys.businessHours, JSON.stringify(hours));
    await page.goto(`${pipeline.apiUrl}/#/admin`);
    await page.waitForSelector('tr[data-target-id]', { timeout: 20000 });
    await page.waitForSelector('.subscription[data-health=ACTIVE]', { timeout: 20000 });
    await page.waitForSelector('tr[data-extension-id]', { timeout: 20000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: resolve(folder, 'dashboard-admin.png'), fullPage: true });
    await browser.close();
    redis.disconnect();
    receiver.close();
  }, 120_000);
});
