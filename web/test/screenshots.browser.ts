// Screenshots of the live view, the wallboard, the calls explorer and the reports for the
// README (docs/img/): 80 agents in the middle of a working
// day. Three hours of their calls go through reporting into ClickHouse (today's figures, the agents' counts, the
// ticker, the sparklines' hour), their calls in progress into Redis as call-state writes them; the API then restarts,
// so the hour before it is rebuilt from the calls. Not part of the suite (about 45 s): `npm run screenshots` runs it
// (screenshots.config.ts) into docs/img, or into the folder CALLPULSE_SCREENSHOTS names.
import { resolve } from 'node:path';
import { createRedis } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceRecords } from '../../services/api/test/support/processes.js';
import { clickhouseUrl, redisUrl, uniqueName } from '../../test/support/env.js';
import { waitFor } from '../../test/support/wait.js';
import { launchBrowser } from './support/browser.js';
import { contactCentreDay } from './support/day.js';
import { type Pipeline, startPipeline } from './support/pipeline.js';
import { feedAgents, seedAgents, snapshot, writeLegs } from './support/redis-feed.js';

const folder = resolve(import.meta.dirname, '../..', process.env.CALLPULSE_SCREENSHOTS || 'docs/img');

/** A zone where it is the middle of the working day now (the page shows that zone's "today"). */
function businessHoursZone(nowMs: number): string {
  const zones = ['Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Singapore', 'Australia/Sydney', 'Europe/London'];
  const hour = (zone: string) =>
    Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(nowMs));
  return zones.find((zone) => hour(zone) >= 10 && hour(zone) < 17) ?? 'Europe/Berlin';
}

describe('screenshots for the README', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(uniqueName('web_shots'), { LOG_LEVEL: 'warn' });
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
    await browser.close();
    redis.disconnect();
  });
});
