// The dashboard in a real browser (Debian's Chromium through playwright-core) against the real API, fed by the real
// pipeline: sign-in (a wrong key refused, a viewer without admin functions), names and ticking timers, an agent moving
// ringing -> talking -> idle as the simulated call's events arrive, a threshold colour once a ring passes its limit
// (the page's clock moved), the board and the sparklines right again after the API restarts, a script-like name shown
// as text; the KPI strip's sparklines show the past hour as the API serves it on a page's first load, no label is cut,
// the agents' TODAY numbers say what they are, and the average speed of answer is "–" while nothing was answered.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildScenario } from '@callpulse/testkit/scenarios';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceRecords } from '../../services/api/test/support/processes.js';
import { leg, session } from '../../services/api/test/support/records.js';
import { clickhouseUrl, uniqueName } from '../../test/support/env.js';
import { waitFor } from '../../test/support/wait.js';
import { launchBrowser } from './support/browser.js';
import { type Pipeline, startPipeline } from './support/pipeline.js';

const ADMIN = 'admin-browser-key-1';
const VIEWER = 'viewer-browser-key-2';
const XSS_NAME = '<img src=x onerror=alert(1)>';
const agents = [
  { id: '610000001', extensionNumber: '101', name: 'Dana Whitfield' },
  { id: '610000002', extensionNumber: '102', name: 'Marco Ruiz' },
  { id: '610000003', extensionNumber: '103', name: 'Priya Nair' },
  { id: '610000666', extensionNumber: '666', name: XSS_NAME },
];
const shots = process.env.CALLPULSE_TEST_SHOTS ? resolve(process.env.CALLPULSE_TEST_SHOTS) : undefined;

let pipeline: Pipeline;
let browser: Browser;

beforeAll(async () => {
  pipeline = await startPipeline(uniqueName('web_browser'), { API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`, LOG_LEVEL: 'warn' });
  for (const agent of agents) await pipeline.addAgent(agent);
  browser = await launchBrowser();
  if (shots) mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

async function newPage(
  options: { clock?: boolean; timezoneId?: string } = {},
): Promise<{ page: Page; alerts: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: options.timezoneId });
  const page = await context.newPage();
  const alerts: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  if (options.clock) await page.clock.install();
  return { page, alerts, errors };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(pipeline.apiUrl);
  await page.locator('input[type=password]').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const row = (page: Page, id: string) => page.locator(`.agent-row[data-extension-id="${id}"]`);
const stateOf = (page: Page, id: string) => row(page, id).locator('.state-text');

/** Posts the scenario's notifications from `from` up to (not including) `to` to ingest. */
async function post(notifications: Array<{ notification: unknown }>, from = 0, to = notifications.length): Promise<void> {
  for (const { notification } of notifications.slice(from, to)) {
    const response = await fetch(`${pipeline.ingest.url}/webhooks/ringcentral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
    });
    expect(response.status).toBe(200);
  }
}

type Notifications = ReturnType<typeof buildScenario>['notifications'];
/** Index of the first notification whose agent party has the status. */
function indexOf(notifications: Notifications, agentId: string, codes: string[]): number {
  const index = notifications.findIndex(({ notification }) =>
    notification.body.parties.some((party) => party.extensionId === agentId && codes.includes(party.status.code)),
  );
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

/** Waits for the agent's state text and returns how long it took. */
async function waitForState(page: Page, id: string, text: string, timeout = 5000): Promise<number> {
  const started = Date.now();
  await expect.poll(() => stateOf(page, id).textContent(), { timeout, interval: 20 }).toBe(text);
  return Date.now() - started;
}

describe('the dashboard in Chromium', () => {
  it('refuses a wrong key with a clear message', async () => {
    const { page } = await newPage();
    await signIn(page, 'not-a-key');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('API key was refused');
    expect(await page.locator('.agent-list').count()).toBe(0);
    await page.context().close();
  });

  it('shows every monitored agent by name and number, a script-like name as text; a viewer sees no admin function', async () => {
    const { page, alerts, errors } = await newPage();
    await signIn(page, VIEWER);
    await expect.poll(() => page.locator('.agent-row[data-extension-id]').count(), { timeout: 15000 }).toBe(agents.length);
    await expect
      .poll(() =>
        row(page, agents[0]?.id ?? '')
          .locator('.name')
          .textContent(),
      )
      .toBe('Dana Whitfield');
    expect(
      await row(page, agents[0]?.id ?? '')
        .locator('.ext')
        .textContent(),
    ).toBe('Ext. 101');
    expect(await stateOf(page, agents[0]?.id ?? '').textContent()).toBe('Available');
    // The name is text: no element came from it, no script ran.
    expect(await row(page, '610000666').locator('.name').textContent()).toBe(XSS_NAME);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(alerts).toEqual([]);
    // A viewer: no admin page in the navigation.
    expect(await page.locator('nav.nav a', { hasText: 'Admin' }).count()).toBe(0);
    expect(await page.locator('[data-admin]').count()).toBe(0);
    expect(await page.locator('.role').textContent()).toBe('viewer');
    // The CSP holds: no inline script or style was refused, nothing failed (the app's first, keyless try of
    // `me` is answered 401 before the key is typed: that one is expected).
    expect(errors.filter((text) => !text.includes('favicon') && !text.includes('status of 401'))).toEqual([]);
    await page.context().close();

    const admin = await newPage();
    await signIn(admin.page, ADMIN);
    await expect.poll(() => admin.page.locator('nav.nav a', { hasText: 'Admin' }).count(), { timeout: 15000 }).toBe(1);
    expect(await admin.page.getByRole('button', { name: 'Admin' }).count()).toBe(0); // one way in: the Admin page
    await admin.page.context().close();
  });

  it('cuts no label, says what the TODAY numbers are, and shows no average speed of answer while nothing was answered', async () => {
    const { page } = await newPage();
    await signIn(page, VIEWER);
    // Today's figures are in (nothing was answered yet in this pipeline).
    await expect.poll(() => page.locator('[data-kpi="offered"] .kpi-value').textContent(), { timeout: 15000 }).toBe('0');
    expect(await page.locator('[data-kpi="asa"] .kpi-value').textContent()).toBe('–');
    expect(await page.locator('[data-kpi="asa"] .kpi-label').textContent()).toBe('Avg. answer');
    expect(await page.locator('[data-kpi="asa"]').getAttribute('title')).toContain('Average speed of answer');
    // Every label and hint shows in full: nothing is cut or overflows its tile.
    const cut = await page
      .locator('.kpi-label, .kpi-hint, .agent-head span')
      .evaluateAll((elements) =>
        elements
          .filter((element) => element.scrollWidth > element.clientWidth + 1 || getComputedStyle(element).textOverflow === 'ellipsis')
          .map((element) => element.textContent),
      );
    expect(cut).toEqual([]);
    // The TODAY column's legend names its three numbers, in their colours, with a tooltip.
    const head = page.locator('.agent-head .today-head');
    expect(await head.locator('span').allTextContents()).toEqual(['Today', 'Calls', 'Answered', 'Missed']);
    expect(await head.getAttribute('title')).toContain('answered');
    const cell = row(page, agents[0]?.id as string).locator('.agent-today');
    expect(await cell.locator('.today-calls, .today-answered, .today-missed').count()).toBe(3);
    expect(await cell.getAttribute('title')).toMatch(/^Today: /);
    await page.context().close();
  });

  it('moves an agent ringing -> talking -> idle as the call events arrive, with timers that tick', async () => {
    const { page } = await newPage();
    await signIn(page, VIEWER);
    const agent = agents[0]?.id as string;
    await waitForState(page, agent, 'Available', 15000);
    // Event times a few minutes back, so the timers have something to show.
    const scenario = buildScenario('inbound-answered-two-holds', {
      seed: 11,
      startMs: Date.now() - 5 * 60_000,
      agentExtensionIds: [agent],
      accountId: '100200300',
    });
    const { notifications } = scenario;
    const answered = indexOf(notifications, agent, ['Answered']);
    const disconnected = indexOf(notifications, agent, ['Disconnected']);
    const timings: Record<string, number> = {};

    await post(notifications, 0, answered);
    timings.ringing = await waitForState(page, agent, 'Ringing');
    await post(notifications, answered, answered + 1);
    timings.talking = await waitForState(page, agent, 'On call');
    const first = await row(page, agent).locator('.agent-time').textContent();
    await page.waitForTimeout(2100);
    const later = await row(page, agent).locator('.agent-time').textContent();
    expect(later).not.toBe(first);
    expect(await row(page, agent).locator('.counterpart').textContent()).not.toBe('');
    await post(notifications, answered + 1, disconnected);
    await post(notifications, disconnected);
    timings.idle = await waitForState(page, agent, 'Available');
    console.log(`[browser] event to screen: ${JSON.stringify(timings)} ms`);
    // Within a second of the event (through ingest, Kafka, call-state, Redis, the API and the socket).
    for (const ms of Object.values(timings)) expect(ms).toBeLessThan(1000);
    // Idle since the end of that call: the timer counts from it.
    await expect.poll(() => row(page, agent).locator('.muted').textContent()).toBe('since last call');
    await page.context().close();
  });

  it('colours a ring red once it passes its threshold (the page clock moved)', async () => {
    const { page } = await newPage({ clock: true });
    await signIn(page, VIEWER);
    const agent = agents[1]?.id as string;
    await waitForState(page, agent, 'Available', 15000);
    const scenario = buildScenario('inbound-answered-two-holds', {
      seed: 12,
      startMs: Date.now() - 2000,
      agentExtensionIds: [agent],
      accountId: '100200300',
    });
    const answered = indexOf(scenario.notifications, agent, ['Answered']);
    await post(scenario.notifications, 0, answered);
    await waitForState(page, agent, 'Ringing');
    const time = row(page, agent).locator('.agent-time');
    expect(await time.getAttribute('class')).toContain('level-ok');
    // The page's clock moves a second at a time until the ring is red (amber past 15 s, red past 30 s). In steps: a board
    // message arriving meanwhile re-aligns the page with the server's clock (as it should), undoing a single jump.
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          await page.clock.fastForward(1000);
          const level = /level-(\w+)/.exec((await time.getAttribute('class')) ?? '')?.[1] ?? '';
          if (seen.at(-1) !== level) seen.push(level);
          return level;
        },
        { timeout: 60000, interval: 100 },
      )
      .toBe('alarm');
    expect(seen).toEqual(expect.arrayContaining(['ok', 'warn', 'alarm']));
    expect(seen.indexOf('warn')).toBeLessThan(seen.lastIndexOf('alarm'));
    await expect.poll(() => page.locator('.call-row .t-ring.level-alarm').count()).toBe(1);
    if (shots) await page.screenshot({ path: resolve(shots, 'threshold.png') });
    await page.context().close();
    await post(scenario.notifications, answered); // the call ends
  });

  it("shows the past hour in every KPI's sparkline on a page's first load, as the API serves it", async () => {
    // Calls that ended 40 and 20 minutes ago, in a zone where that was today.
    const now = Date.now();
    const zone =
      ['Asia/Kolkata', 'America/Sao_Paulo', 'Asia/Tokyo'].find((name) => {
        const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', hourCycle: 'h23' }).format(now));
        return hour >= 2 && hour < 22;
      }) ?? 'Asia/Kolkata';
    const agent = agents[0]?.id as string;
    const calls = [45, 25].map((minutesAgo, i) => ({ id: `s-spark-${i}`, startMs: now - minutesAgo * 60_000 }));
    await produceRecords(
      pipeline.iso,
      calls.flatMap((call) => [
        session({ telephonySessionId: call.id, startMs: call.startMs, queueId: '', firstAnswerMs: call.startMs + 5000, waitMs: 5000 }),
        leg({ telephonySessionId: call.id, extensionId: agent, startMs: call.startMs, ringMs: 5000, talkMs: 55_000 }),
      ]),
    );
    await waitFor(
      async () => {
        const query = `SELECT count() FROM ${pipeline.iso.name}.sessions WHERE telephony_session_id LIKE 's-spark-%'`;
        return Number((await (await fetch(`${clickhouseUrl}/?query=${encodeURIComponent(query)}`)).text()).trim()) === calls.length;
      },
      { timeoutMs: 30_000, what: 'the calls in ClickHouse' },
    );
    const { page } = await newPage({ timezoneId: zone });
    await signIn(page, VIEWER);
    await waitForState(page, agent, 'Available', 15000);
    // A new page, no data of its own: the hour comes from the API at once, for the live tiles (sampled, and rebuilt for
    // the time before the API started) and for today's (per minute from ClickHouse: 0 an hour ago, then 1, then 2).
    const spark = (kpi: string) => page.locator(`[data-kpi="${kpi}"] .spark`);
    for (const kpi of ['available', 'onCall', 'ringing', 'activeCalls', 'waiting', 'longestWait', 'offered', 'answered', 'serviceLevel']) {
      await expect
        .poll(async () => Number(await spark(kpi).getAttribute('data-points')), { timeout: 30000, message: kpi })
        .toBeGreaterThan(55);
    }
    // (The calls of the tests before, a few minutes ago, count too.)
    await expect
      .poll(() => spark('offered').getAttribute('aria-label'), { timeout: 30000 })
      .toMatch(/^Past 60 minutes: lowest 0, highest ([2-9]|\d\d+)$/);
    // The line spans the hour: from the left edge to the right, rising at least twice.
    const line = (await spark('offered').locator('.spark-line').getAttribute('d')) ?? '';
    const xs = [...line.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((match) => Number(match[1]));
    const ys = new Set([...line.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((match) => match[2]));
    expect(Math.min(...xs)).toBeLessThan(40);
    expect(Math.max(...xs)).toBeGreaterThan(960);
    expect(ys.size).toBeGreaterThanOrEqual(3);
    if (shots) await page.screenshot({ path: resolve(shots, 'sparklines.png') });
    await page.context().close();
  });

  it('reconnects after the API restarts and shows what changed meanwhile', async () => {
    const { page } = await newPage();
    await signIn(page, VIEWER);
    const agent = agents[2]?.id as string;
    await waitForState(page, agent, 'Available', 15000);
    const scenario = buildScenario('inbound-answered-two-holds', {
      seed: 13,
      startMs: Date.now() - 60_000,
      agentExtensionIds: [agent],
      accountId: '100200300',
    });
    const answered = indexOf(scenario.notifications, agent, ['Answered']);
    await post(scenario.notifications, 0, answered + 1);
    await waitForState(page, agent, 'On call');

    await pipeline.stopApi();
    await expect.poll(() => page.locator('.health').textContent(), { timeout: 10000 }).toContain('Reconnecting');
    // While the API is away the call ends; the board cannot hear it.
    await post(scenario.notifications, answered + 1);
    await new Promise((done) => setTimeout(done, 1000));
    expect(await stateOf(page, agent).textContent()).toBe('On call');

    await pipeline.startApi();
    await expect.poll(() => page.locator('.health').textContent(), { timeout: 30000 }).toBe('Live');
    await waitForState(page, agent, 'Available', 10000);
    // The sparklines have the hour again: the restarted API rebuilt it, the subscription sent it anew.
    await expect
      .poll(async () => Number(await page.locator('[data-kpi="onCall"] .spark').getAttribute('data-points')), { timeout: 15000 })
      .toBeGreaterThan(55);
    await page.context().close();
  });
});
