// The dashboard's alerts in a real browser (Debian's Chromium through playwright-core) against the real pipeline:
// an admin creates a webhook target and a rule on the admin page (the API's validation message shown next to the
// field it names), a call posted through ingest rings an agent past the rule's threshold, and the banner appears over
// the live view (admin) and the wallboard (viewer) with the summary within seconds, the navigation counts it and the
// alerts page lists it; when the call is answered the banner goes and the history has the fired and the resolved
// transition; the local receiver got both. A viewer sees the banner and the alerts page, never the rules' admin.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';
import { buildScenario } from '@callpulse/testkit/scenarios';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../test/support/env.js';
import { launchBrowser } from './support/browser.js';
import { type Pipeline, startPipeline } from './support/pipeline.js';

const ADMIN = 'admin-alerts-key-1';
const VIEWER = 'viewer-alerts-key-2';
/** CALLPULSE_TEST_SHOTS=folder: the live view's and the wallboard's banner are saved there to look at. */
const shots = process.env.CALLPULSE_TEST_SHOTS ? resolve(process.env.CALLPULSE_TEST_SHOTS) : undefined;
const agents = [
  { id: '640000001', extensionNumber: '301', name: 'Dana Whitfield' },
  { id: '640000002', extensionNumber: '302', name: 'Marco Ruiz' },
];

let pipeline: Pipeline;
let browser: Browser;
let receiver: http.Server;
let receiverUrl = '';
const deliveries: Array<{ id: string; body: { status?: string; ruleName?: string } }> = [];

beforeAll(async () => {
  pipeline = await startPipeline(uniqueName('web_alerts'), { API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`, LOG_LEVEL: 'warn' });
  for (const agent of agents) await pipeline.addAgent(agent);
  receiver = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      try {
        deliveries.push({ id: String(request.headers['x-callpulse-delivery'] ?? ''), body: JSON.parse(text) });
      } catch {
        deliveries.push({ id: String(request.headers['x-callpulse-delivery'] ?? ''), body: {} });
      }
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await pipeline?.stop();
});

async function signedIn(key: string, hash = ''): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.addInitScript((value) => sessionStorage.setItem('callpulse.key', value), key);
  await page.goto(`${pipeline.apiUrl}/${hash}`);
  return { page, errors };
}

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

const banner = (page: Page) => page.locator('.alert-banner');

describe('alerts in Chromium', () => {
  it('an admin sets a target and a rule; a ringing agent raises the banner everywhere and the alerts page; answered, it resolves', async () => {
    const admin = await signedIn(ADMIN, '#/admin');
    const page = admin.page;
    const section = page.locator('[data-admin-alerts]');
    await expect.poll(() => section.count(), { timeout: 15000 }).toBe(1);

    // A target through the form.
    await section.getByRole('button', { name: 'New target' }).click();
    const targetForm = section.locator('form.target-form');
    await targetForm.locator('input[name=targetName]').fill('Ops receiver');
    await targetForm.locator('input[name=url]').fill(receiverUrl);
    await targetForm.locator('input[name=secret]').fill('s3cret-value');
    await targetForm.getByRole('button', { name: 'Create target' }).click();
    const targetRow = section.locator('.targets-table tbody tr', { hasText: 'Ops receiver' });
    await expect.poll(() => targetRow.count()).toBe(1);
    expect(await targetRow.locator('td').nth(3).textContent()).toBe('yes'); // signed: the secret is set, never shown

    // A rule: the API's refusal is shown next to the field it names, then the rule is created.
    await section.getByRole('button', { name: 'New rule' }).click();
    const ruleForm = section.locator('form.rule-form');
    await ruleForm.locator('select[name=conditionKind]').selectOption('AGENT_RINGING');
    // Only the fields the kind needs: no window for a ring.
    expect(await ruleForm.locator('input[name=windowMinutes]').count()).toBe(0);
    expect(await ruleForm.locator('label', { hasText: 'Threshold' }).textContent()).toContain('seconds');
    await ruleForm.locator('input[name=threshold]').fill('1');
    await ruleForm.locator('input[name=scopeKind][value=EXTENSIONS]').check();
    await ruleForm.locator('textarea[name=extensions]').fill(agents[0]?.extensionNumber as string);
    await ruleForm.locator('input[name=targetIds]').first().check();
    await ruleForm.getByRole('button', { name: 'Create rule' }).click(); // no name yet
    await expect.poll(() => ruleForm.locator('.field-error[data-field=name]').textContent()).toMatch(/^name: /);
    await ruleForm.locator('input[name=name]').fill('Long ring');
    await ruleForm.getByRole('button', { name: 'Create rule' }).click();
    const ruleRow = section.locator('.rules-table tbody tr', { hasText: 'Long ring' });
    await expect.poll(() => ruleRow.count()).toBe(1);
    expect(await ruleRow.textContent()).toContain('Ops receiver');
    expect(await ruleRow.textContent()).toContain('1 extension');

    // The admin watches the live view, a viewer the wallboard.
    await page.goto(`${pipeline.apiUrl}/#/`);
    const viewer = await signedIn(VIEWER, '#/wall');
    await expect.poll(() => viewer.page.locator('.wall').count(), { timeout: 15000 }).toBe(1);
    expect(await banner(page).count()).toBe(0);

    // A call rings the agent: past 1 s the alert fires.
    const agent = agents[0]?.id as string;
    const scenario = buildScenario('inbound-answered-two-holds', {
      seed: 21,
      startMs: Date.now(),
      agentExtensionIds: [agent],
      accountId: '100200300',
      ringMs: 5000,
    });
    const answered = scenario.notifications.findIndex(({ notification }) =>
      notification.body.parties.some((party) => party.extensionId === agent && party.status.code === 'Answered'),
    );
    expect(answered).toBeGreaterThan(0);
    const posted = Date.now();
    await post(scenario.notifications, 0, answered);
    await expect.poll(() => banner(page).count(), { timeout: 8000, interval: 50 }).toBe(1);
    const seenAfterMs = Date.now() - posted;
    console.log(`alert banner shown ${seenAfterMs} ms after the ringing call was posted (threshold 1 s)`);
    expect(seenAfterMs).toBeLessThan(8000);
    expect(await banner(page).getAttribute('role')).toBe('alert');
    expect(await banner(page).locator('.alert-banner-summary').textContent()).toContain('Agent Dana Whitfield');
    expect(await banner(page).locator('.alert-chip').allTextContents()).toEqual(['1 warning']);
    expect(await page.locator('nav.nav a', { hasText: 'Alerts' }).locator('.alert-count').textContent()).toBe('1');
    // The viewer's wallboard shows it too.
    await expect.poll(() => banner(viewer.page).locator('.alert-banner-summary').textContent()).toContain('Agent Dana Whitfield');
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: resolve(shots, 'alert-banner-live.png') });
      await viewer.page.setViewportSize({ width: 1920, height: 1080 });
      await viewer.page.screenshot({ path: resolve(shots, 'alert-banner-wall.png') });
    }

    // The alerts page lists it, for the viewer too; the viewer has no rules' admin.
    await viewer.page.goto(`${pipeline.apiUrl}/#/alerts`);
    const activeRow = viewer.page.locator('.active-alerts tbody tr');
    await expect.poll(() => activeRow.count()).toBe(1);
    expect(await activeRow.getAttribute('data-subject')).toBe(agent);
    expect(await activeRow.textContent()).toContain('Long ring');
    expect(await activeRow.locator('td').nth(2).textContent()).toBe('Dana Whitfield');
    expect(await viewer.page.locator('nav.nav a', { hasText: 'Admin' }).count()).toBe(0);
    expect(await viewer.page.locator('.alerts-admin-link').count()).toBe(0);
    await viewer.page.goto(`${pipeline.apiUrl}/#/admin`);
    await expect.poll(() => viewer.page.getByText('The admin page needs an admin API key.').count()).toBe(1);
    expect(await viewer.page.locator('[data-admin-alerts]').count()).toBe(0);
    await viewer.page.goto(`${pipeline.apiUrl}/#/alerts`);
    await expect.poll(() => activeRow.count()).toBe(1);

    // Answered: the alert resolves, the banner goes, the history has both transitions.
    await post(scenario.notifications, answered, answered + 1);
    await expect.poll(() => banner(page).count(), { timeout: 8000, interval: 50 }).toBe(0);
    await expect.poll(() => viewer.page.locator('.active-alerts tbody tr').count()).toBe(0);
    expect(await viewer.page.locator('.alerts-none').first().textContent()).toBe('No alert is firing.');
    const history = viewer.page.locator('.alert-history tbody tr');
    await expect
      .poll(() => history.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))
      .toEqual(['RESOLVED', 'FIRING']);
    await viewer.page.locator('select[name=history-status]').selectOption('RESOLVED');
    await expect.poll(() => history.count()).toBe(1);
    expect(await page.locator('nav.nav a', { hasText: 'Alerts' }).locator('.alert-count').count()).toBe(0);

    // The receiver got both, in order.
    await expect.poll(() => deliveries.map((delivery) => delivery.body.status), { timeout: 20000 }).toEqual(['FIRING', 'RESOLVED']);
    // Send test: the receiver answers 2xx; a target nobody listens on is refused, with the API's reason.
    await page.goto(`${pipeline.apiUrl}/#/admin`);
    const row = page.locator('.targets-table tbody tr', { hasText: 'Ops receiver' });
    await expect.poll(() => row.locator('.delivery').textContent(), { timeout: 15000 }).toContain('OK');
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => row.locator('.target-message').textContent()).toBe('Test delivered (2xx).');
    expect(deliveries).toHaveLength(3);
    await page.getByRole('button', { name: 'New target' }).click();
    await page.locator('form.target-form input[name=targetName]').fill('Nobody listens');
    await page.locator('form.target-form input[name=url]').fill('http://127.0.0.1:9/hook');
    await page.locator('form.target-form').getByRole('button', { name: 'Create target' }).click();
    const broken = page.locator('.targets-table tbody tr', { hasText: 'Nobody listens' });
    await expect.poll(() => broken.count()).toBe(1);
    await broken.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => broken.locator('.target-message').textContent(), { timeout: 20000 }).toMatch(/did not accept the test/);
    expect(admin.errors).toEqual([]);
    expect(viewer.errors).toEqual([]);
    await post(scenario.notifications, answered + 1);
    await page.context().close();
    await viewer.page.context().close();
  });
});
