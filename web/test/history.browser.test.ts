// The history views in a real browser (Debian's Chromium through playwright-core) against the real API on the real
// Redis and ClickHouse: the navigation (Admin only for an admin key), the calls explorer (a filter changes the URL and
// the rows, the URL opened in a new page gives the same filters and rows, the total is the API's count, the next
// pages load on scrolling, the CSV holds the same legs), the call drawer of a simulated call (its legs and figures as
// the simulator's truth has them), a report cell drilling down to exactly the calls it counts, and the admin page
// changing the monitored set (a viewer is refused).
import { readFileSync } from 'node:fs';
import { type CompletedRecord, redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { buildScenario } from '@callpulse/testkit/scenarios';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceRecords } from '../../services/api/test/support/processes.js';
import { leg, session } from '../../services/api/test/support/records.js';
import { writeSubscriptionRecord } from '../../services/ingest/src/ringcentral/subscription-record.js';
import { clickhouseUrl, redisUrl, uniqueName } from '../../test/support/env.js';
import { waitFor } from '../../test/support/wait.js';
import { duration, resultLabel } from '../src/format.js';
import { presetRange } from '../src/history/filters.js';
import { rangeLabel } from '../src/history/period-label.js';
import { launchBrowser } from './support/browser.js';
import { type Pipeline, startPipeline } from './support/pipeline.js';

const ADMIN = 'admin-history-key-1';
const VIEWER = 'viewer-history-key-2';
const ZONE = 'Europe/Berlin';
/** Wider than the data (all within the past 3 days), within the API's longest range. */
const RANGE = { from: new Date(Date.now() - 10 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
const agents = [
  { id: '630000001', extensionNumber: '201', name: 'Dana Whitfield' },
  { id: '630000002', extensionNumber: '202', name: 'Marco Ruiz' },
  { id: '630000003', extensionNumber: '203', name: '<b>Priya</b> Nair' },
];

let pipeline: Pipeline;
let browser: Browser;
let legCount = 0;

/** 150 legs over the past 3 hours and 3 days: both directions, answered, missed and voicemail. */
function history(now: number): CompletedRecord[] {
  const records: CompletedRecord[] = [];
  for (let i = 0; i < 150; i += 1) {
    const agent = agents[i % agents.length]?.id as string;
    const startMs = now - (i < 100 ? 10 * 60_000 + i * 90_000 : 2 * 86_400_000 + i * 60_000);
    const id = `s-hist-${i}`;
    const kind = i % 5;
    const talkMs = kind < 3 ? 30_000 + i * 1000 : 0;
    const result = kind < 3 ? 'Answered' : kind === 3 ? 'Missed' : 'Voicemail';
    // Every tenth call (inbound, answered) came through a queue.
    const queue = i % 10 === 1 ? { queueId: 'q-support', queueName: 'Support Queue' } : { queueId: '' };
    records.push(
      session({ telephonySessionId: id, startMs, ...queue }),
      leg({
        ...queue,
        telephonySessionId: id,
        extensionId: agent,
        startMs,
        ringMs: 3000 + (i % 7) * 4000,
        talkMs,
        holdMs: kind === 0 ? 15_000 : 0,
        result,
        direction: kind === 2 ? 'Outbound' : 'Inbound',
      }),
    );
  }
  legCount = 150;
  return records;
}

async function gqlAs<T>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${pipeline.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const totalOf = async (filter: Record<string, unknown>) =>
  (await gqlAs<{ calls: { totalCount: number } }>(VIEWER, 'query($f: CallFilter) { calls(filter: $f) { totalCount } }', { f: filter }))
    .calls.totalCount;

beforeAll(async () => {
  pipeline = await startPipeline(uniqueName('web_history'), {
    API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`,
    LOG_LEVEL: 'warn',
    // The pipeline's ingest has no RingCentral login: a repair is answered by nobody, after this long.
    API_ADMIN_COMMAND_TIMEOUT_MS: '1500',
  });
  for (const agent of agents) await pipeline.addAgent(agent);
  await produceRecords(pipeline.iso, history(Date.now()));
  await waitFor(
    async () => {
      // In legs and in the views' tables the screens read (ClickHouse fills an insert's views one after the other).
      const db = pipeline.iso.name;
      const query =
        `SELECT least(least(toInt64((SELECT count() FROM ${db}.legs FINAL)), (SELECT sum(sign) FROM ${db}.legs_by_start)), ` +
        `least((SELECT sum(sign) FROM ${db}.legs_by_extension), (SELECT sum(sum_legs) FROM ${db}.leg_quarter_hours)))`;
      return Number((await (await fetch(`${clickhouseUrl}/?query=${encodeURIComponent(query)}`)).text()).trim()) >= legCount;
    },
    { timeoutMs: 60_000, what: 'the legs in ClickHouse and its views' },
  );
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

async function signedIn(key: string, hash = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: ZONE, acceptDownloads: true });
  const page = await context.newPage();
  await page.addInitScript((value) => sessionStorage.setItem('callpulse.key', value), key);
  await page.goto(`${pipeline.apiUrl}/${hash}`);
  return page;
}

const totalText = (page: Page) => page.locator('.total').getAttribute('data-total');
const sessions = (page: Page) => page.locator('tr.call').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-session')));

describe('the history views in Chromium', () => {
  it('shows Calls and Reports to everyone and Admin only to an admin key', async () => {
    const viewer = await signedIn(VIEWER);
    const nav = viewer.locator('nav.nav a');
    await expect.poll(() => nav.allTextContents(), { timeout: 15000 }).toEqual(['Live', 'Calls', 'Reports', 'Alerts']);
    await viewer.context().close();
    const admin = await signedIn(ADMIN);
    await expect
      .poll(() => admin.locator('nav.nav a').allTextContents(), { timeout: 15000 })
      .toEqual(['Live', 'Calls', 'Reports', 'Alerts', 'Admin']);
    await admin.locator('nav.nav a', { hasText: 'Calls' }).click();
    await expect.poll(() => admin.evaluate(() => window.location.hash)).toBe('#/calls');
    await expect.poll(() => admin.locator('.total').count(), { timeout: 15000 }).toBe(1);
    await admin.context().close();
  });

  it('explorer: a filter changes the URL and the rows, the URL gives the same view in a new page, the total is the API count', async () => {
    const page = await signedIn(VIEWER, `#/calls?preset=7d&timeZone=${ZONE}`);
    await expect.poll(() => totalText(page), { timeout: 20000 }).toBe(String(legCount));
    expect(await page.locator('tr.call').count()).toBe(100); // the first page
    await page.locator('select[name=direction]').selectOption('Inbound');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('direction=Inbound');
    const inbound = await totalOf({ ...RANGE, timeZone: ZONE, direction: 'Inbound' });
    expect(inbound).toBeLessThan(legCount);
    await expect.poll(() => totalText(page), { timeout: 15000 }).toBe(String(inbound));
    await page.locator('input[name=minTalkMs], label:has-text("Min. talk s") input').first().fill('60');
    await page.locator('label:has-text("Min. talk s") input').press('Enter');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('minTalkMs=60000');
    const filtered = await totalOf({ ...RANGE, timeZone: ZONE, direction: 'Inbound', minTalkMs: 60_000 });
    await expect.poll(() => totalText(page), { timeout: 15000 }).toBe(String(filtered));
    // Sorted by talk on the server, longest first.
    await page.locator('th[data-column=talk] button').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('orderBy=TALK');
    await expect.poll(async () => (await sessions(page))[0], { timeout: 15000 }).toBe('s-hist-146'); // the inbound answered leg with the longest talk;
    const rows = await sessions(page);
    const url = page.url();
    // The same URL in a new page: the same filters and rows.
    const again = await signedIn(VIEWER, url.slice(url.indexOf('#')));
    await expect.poll(() => totalText(again), { timeout: 20000 }).toBe(String(filtered));
    expect(await again.locator('select[name=direction]').inputValue()).toBe('Inbound');
    expect(await sessions(again)).toEqual(rows);
    await again.context().close();
    // The queue filter offers the range's queues by name.
    await page.locator('select[name=queueIds]').selectOption({ label: 'Support Queue' });
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('queueIds=q-support');
    const queued = await totalOf({ ...RANGE, timeZone: ZONE, direction: 'Inbound', minTalkMs: 60_000, queueIds: ['q-support'] });
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThan(filtered);
    await expect.poll(() => totalText(page), { timeout: 15000 }).toBe(String(queued));
    await page.context().close();
  });

  it('explorer: scrolling loads the next pages up to the total; the CSV download holds the same legs', async () => {
    const page = await signedIn(VIEWER, `#/calls?preset=7d&timeZone=${ZONE}`);
    await expect.poll(() => totalText(page), { timeout: 20000 }).toBe(String(legCount));
    await page.locator('.sentinel').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('tr.call').count(), { timeout: 15000 }).toBe(legCount);
    expect(new Set(await sessions(page)).size).toBe(legCount);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(legCount);
    for (const id of await sessions(page)) expect(csv).toContain(id as string);
    // The key went in a header, not in the URL.
    expect(download.url()).not.toContain(VIEWER);
    await page.context().close();
  });

  it('drawer: a simulated call shows its legs with the figures of the simulator', async () => {
    const agent = agents[1]?.id as string;
    const scenario = buildScenario('inbound-answered-two-holds', {
      seed: 21,
      startMs: Date.now() - 20 * 60_000,
      agentExtensionIds: [agent],
      accountId: '100200300',
    });
    for (const { notification } of scenario.notifications) {
      const response = await fetch(`${pipeline.ingest.url}/webhooks/ringcentral`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notification),
      });
      expect(response.status).toBe(200);
    }
    const expected = scenario.expectedLegs.filter((one) => one.extensionId === agent);
    expect(expected.length).toBeGreaterThan(0);
    const sessionId = expected[0]?.telephonySessionId as string;
    await waitFor(async () => (await totalOf({ extensionIds: [agent], ...RANGE })) > 50, {
      timeoutMs: 30_000,
      what: 'the simulated call in ClickHouse',
    });
    const page = await signedIn(VIEWER, `#/calls?preset=7d&timeZone=${ZONE}&extensionIds=${agent}`);
    const row = page.locator(`tr.call[data-session="${sessionId}"]`);
    await expect.poll(() => row.count(), { timeout: 20000 }).toBe(1);
    // The agent by name and extension number (the directory's), not by extension id: in the row and the filter's chip.
    expect(await row.locator('td').nth(1).textContent()).toBe('Marco Ruiz (202)');
    await expect.poll(() => page.locator('.filters .drill-chip').first().textContent(), { timeout: 10000 }).toContain('Marco Ruiz (202)');
    await row.click();
    const drawer = page.locator('.drawer');
    await expect.poll(() => drawer.locator('section.leg').count(), { timeout: 15000 }).toBeGreaterThanOrEqual(expected.length);
    for (const truth of expected) {
      const section = drawer.locator(`section.leg[data-party="${truth.partyId}"]`);
      expect(await section.locator('[data-figure=ring]').textContent()).toBe(duration(truth.ringMs));
      expect(await section.locator('[data-figure=talk]').textContent()).toBe(duration(truth.talkMs));
      expect(await section.locator('[data-figure=hold]').textContent()).toContain(duration(truth.holdMs));
      expect(await section.locator('h3').textContent()).toContain(resultLabel(truth.result));
      expect(await section.locator('h3').textContent()).toContain('Marco Ruiz (202)');
    }
    expect(await drawer.locator('svg.phases rect').count()).toBeGreaterThanOrEqual(expected.length);
    // With the API's callTimeline (when it has one and keeps the call's events): each leg's events and explained figures.
    const response = await fetch(`${pipeline.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${VIEWER}` },
      body: JSON.stringify({ query: `{ callTimeline(telephonySessionId: "${sessionId}") { legs { partyId events { sequence } } } }` }),
    });
    const timeline = (
      (await response.json()) as { data?: { callTimeline: { legs: Array<{ partyId: string; events: unknown[] }> } | null } }
    ).data?.callTimeline;
    console.log(`[history] callTimeline in the API: ${timeline ? 'yes' : 'no'}`);
    if (timeline) {
      for (const truth of expected) {
        const section = drawer.locator(`section.leg[data-party="${truth.partyId}"]`);
        const events = timeline.legs.find((one) => one.partyId === truth.partyId)?.events.length ?? -1;
        await expect.poll(() => section.locator('table.events tbody tr').count(), { timeout: 10000 }).toBe(events);
        expect(await section.locator('[data-explain=ring]').textContent()).toContain(`Ring ${duration(truth.ringMs)}`);
        expect(await section.locator('[data-explain=hold]').textContent()).toContain(`Hold ${duration(truth.holdMs)}`);
        expect(await section.locator('[data-explain=result]').textContent()).toContain(`Result ${resultLabel(truth.result)}`);
      }
      expect(await drawer.locator('svg.phases rect[data-phase=hold]').count()).toBeGreaterThanOrEqual(2); // two holds
    } else {
      await expect.poll(() => drawer.locator('.timeline-missing').count(), { timeout: 10000 }).toBe(1);
    }
    await page.context().close();
  });

  it('reports: a KPI, a heatmap cell and an agent cell drill down to exactly the calls they count', async () => {
    const page = await signedIn(VIEWER, `#/reports?preset=7d&timeZone=${ZONE}`);
    // The heading says the range in dates (on paper too, where the filter bar is left out).
    const week = presetRange('7d', Date.now(), ZONE);
    await expect
      .poll(() => page.locator('h1.report-title').textContent())
      .toBe(`Calls report · ${rangeLabel(week?.from, week?.to)} · ${ZONE}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.reports form.filters').isVisible()).toBe(false);
    expect(await page.locator('h1.report-title').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    const cells = [
      page.locator('.report-kpis a[data-kpi=missed]'),
      page.locator('.heatmap a[data-cell]:not([data-count="0"])').first(),
      page.locator('.leaderboard tbody tr').first().locator('a[data-count]').nth(1),
    ];
    for (const cell of cells) {
      await expect.poll(() => cell.count(), { timeout: 20000 }).toBe(1);
      const counted = Number(await cell.getAttribute('data-count'));
      expect(counted).toBeGreaterThan(0);
      await cell.click();
      await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/calls\?/);
      await expect.poll(() => totalText(page), { timeout: 20000 }).toBe(String(counted));
      await page.goBack();
      await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/reports/);
    }
    // The report's calls KPI is the explorer's count of the same range (no fax, redirected or supervision legs).
    const calls = Number(await page.locator('.report-kpis a[data-kpi=calls]').getAttribute('data-count'));
    expect(calls).toBe(legCount + 1); // the history and the simulated call's agent leg
    // Every table exports CSV: the agents' as shown (a name with markup whole, as text).
    const agentsCard = page.locator('.report-card', { has: page.locator('.leaderboard') });
    // Back from the explorer the report loads again: export once the three agents are shown, not the empty table.
    await expect.poll(() => page.locator('.leaderboard tbody tr').count(), { timeout: 20000 }).toBe(agents.length);
    const [download] = await Promise.all([page.waitForEvent('download'), agentsCard.locator('.table-csv').click()]);
    const lines = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines.length - 1).toBe(await page.locator('.leaderboard tbody tr').count());
    expect(lines.some((line) => line.includes('<b>Priya</b> Nair'))).toBe(true);
    await page.context().close();
  });

  it('admin: an admin changes the monitored set; a viewer sees no Admin and the route refuses', async () => {
    const monitored = async () =>
      (
        await gqlAs<{ extensions: { edges: Array<{ node: { id: string } }> } }>(
          ADMIN,
          '{ extensions(monitoredOnly: true, first: 100) { edges { node { id } } } }',
        )
      ).extensions.edges
        .map((edge) => edge.node.id)
        .sort();
    expect(await monitored()).toEqual(agents.map((agent) => agent.id));
    const page = await signedIn(ADMIN, '#/admin');
    const priya = page.locator('tr[data-extension-id="630000003"]');
    await expect.poll(() => priya.count(), { timeout: 20000 }).toBe(1);
    expect(await priya.locator('td').nth(2).textContent()).toBe('<b>Priya</b> Nair'); // text, not markup
    await page.locator('input[name=directory-search]').fill('Priya');
    await page.locator('input[name=directory-search]').press('Enter');
    await expect.poll(() => page.locator('[data-matches]').getAttribute('data-matches')).toBe('1');
    await page.getByRole('button', { name: 'Clear all matches' }).click();
    expect(await page.locator('.preview').textContent()).toBe('+0 / -1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(monitored, { timeout: 10000 }).toEqual([agents[0]?.id, agents[1]?.id]);
    await page.locator('input[name=directory-search]').fill('');
    await page.locator('input[name=directory-search]').press('Enter');
    await expect.poll(() => page.locator('[data-matches]').getAttribute('data-matches')).toBe('3');
    await page.getByRole('button', { name: 'Select all matches' }).click();
    expect(await page.locator('.preview').textContent()).toBe('+1 / -0');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(monitored, { timeout: 10000 }).toEqual(agents.map((agent) => agent.id));
    await page.context().close();

    const viewer = await signedIn(VIEWER, '#/admin');
    await expect.poll(() => viewer.getByRole('alert').textContent(), { timeout: 15000 }).toContain('needs an admin API key');
    expect(await viewer.locator('nav.nav a', { hasText: 'Admin' }).count()).toBe(0);
    expect(await viewer.locator('tr[data-extension-id]').count()).toBe(0);
    await viewer.context().close();
  });

  it('admin: the RingCentral subscription`s status as ingest records it, coloured, read again after a repair', async () => {
    // Ingest's own writer (the stand-in does not run here): the API must read the fields ingest writes.
    const redis = createRedis(redisUrl);
    const keys = redisKeys(pipeline.iso.env.REDIS_KEY_PREFIX as string);
    const record = {
      id: 'sub-history-1',
      status: 'Active',
      expirationTime: '2036-03-02T09:00:00.000Z',
      address: 'https://callpulse.example.com/webhooks/ringcentral',
      eventFilters: ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'],
      disabledFilters: [],
      problem: '',
      tokenHash: 'none',
      updatedAt: Date.parse('2026-03-01T12:00:00Z'),
    };
    try {
      await redis.del(keys.subscription);
      const page = await signedIn(ADMIN, '#/admin');
      const status = page.locator('.subscription');
      await expect.poll(() => status.getAttribute('data-health'), { timeout: 20000 }).toBe('NONE');
      expect(await status.locator('.health').textContent()).toBe('No subscription');
      expect(await status.locator('.health').getAttribute('class')).toContain('health-warn');
      // A repair (nobody answers it here) reads the status again: meanwhile ingest recorded an active subscription.
      await writeSubscriptionRecord(redis, keys, record);
      await page.getByRole('button', { name: 'Recreate the webhook subscription' }).click();
      await expect.poll(() => status.getAttribute('data-health'), { timeout: 15000 }).toBe('ACTIVE');
      expect(await status.locator('.health').textContent()).toBe('Active');
      expect(await status.locator('.health').getAttribute('class')).toContain('health-ok');
      // In the chosen zone (the browser's, Europe/Berlin): 09:00 UTC is 10:00 there in March.
      expect(await status.locator('[data-field=expires]').textContent()).toMatch(/^2036-03-02 10:00 /);
      expect(await status.locator('[data-field=updated]').textContent()).toMatch(/^2026-03-01 13:00 /);
      await writeSubscriptionRecord(redis, keys, {
        ...record,
        status: 'Blacklisted',
        problem: 'subscription is Blacklisted (Webhook answered 500)',
      });
      await page.reload();
      await expect.poll(() => status.getAttribute('data-health'), { timeout: 20000 }).toBe('FAILING');
      expect(await status.locator('.health').textContent()).toBe('Blacklisted');
      expect(await status.locator('.health').getAttribute('class')).toContain('health-alarm');
      expect(await status.locator('[data-field=problem]').textContent()).toBe('subscription is Blacklisted (Webhook answered 500)');
      await page.context().close();
      // A viewer's page never asks; the API refuses it anyway.
      const refused = await fetch(`${pipeline.apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${VIEWER}` },
        body: JSON.stringify({ query: '{ rcSubscription { health } }' }),
      });
      expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('FORBIDDEN');
    } finally {
      redis.disconnect();
    }
  });

  it('admin: business hours set on the admin page switch the explorer between inside and outside', async () => {
    const page = await signedIn(ADMIN, '#/admin');
    await expect.poll(() => page.locator('[data-bh-message]').textContent(), { timeout: 20000 }).toContain('None set');
    // Open every day all day but the weekday of the history's first leg, a holiday-free week.
    const first = new Date(Date.now() - 10 * 60_000);
    const closed = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][
      new Date(first.toLocaleString('en-US', { timeZone: ZONE })).getDay()
    ] as string;
    await page.locator('input[name=bh-zone]').fill(ZONE);
    for (const day of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']) {
      await page.locator(`input[name=bh-${day}]`).fill(day === closed ? '' : '00:00-24:00');
    }
    await page.getByRole('button', { name: 'Save business hours' }).click();
    await expect.poll(() => page.locator('[data-bh-message]').textContent(), { timeout: 10000 }).toBe('Saved.');
    const inside = await totalOf({ ...RANGE, timeZone: ZONE, businessHours: 'INSIDE' });
    const outside = await totalOf({ ...RANGE, timeZone: ZONE, businessHours: 'OUTSIDE' });
    expect(inside + outside).toBe(await totalOf({ ...RANGE, timeZone: ZONE }));
    expect(outside).toBeGreaterThan(0); // today's legs (the closed day)
    expect(inside).toBeGreaterThan(0); // the legs of two days ago
    await page.goto(`${pipeline.apiUrl}/#/calls?preset=7d&timeZone=${encodeURIComponent(ZONE)}`);
    await page.locator('select[name=businessHours]').selectOption('OUTSIDE');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('businessHours=OUTSIDE');
    await expect.poll(() => totalText(page), { timeout: 15000 }).toBe(String(outside));
    await page.locator('select[name=businessHours]').selectOption('INSIDE');
    await expect.poll(() => totalText(page), { timeout: 15000 }).toBe(String(inside));
    await page.goto(`${pipeline.apiUrl}/#/admin`);
    await page.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.locator('[data-bh-message]').textContent(), { timeout: 10000 }).toBe('Removed.');
    await page.context().close();
  });
});
