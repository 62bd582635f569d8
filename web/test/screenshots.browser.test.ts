// Screenshots of the live view and the wallboard for the README (docs/img/), with a board of 80 agents written into
// Redis as call-state writes it. Runs only when CALLPULSE_SCREENSHOTS names the folder (npm test -- web/test/screenshots
// with CALLPULSE_SCREENSHOTS=docs/img).
import { resolve } from 'node:path';
import { createRedis } from '@callpulse/platform';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisUrl, uniqueName } from '../../test/support/env.js';
import { launchBrowser } from './support/browser.js';
import { type Pipeline, startPipeline } from './support/pipeline.js';
import { type FeedAgent, feedAgents, type LegInput, seedAgents, snapshot, writeLegs } from './support/redis-feed.js';

const folder = process.env.CALLPULSE_SCREENSHOTS;
const queues = [
  { id: '700000001', name: 'Sales Queue' },
  { id: '700000002', name: 'Support Queue' },
  { id: '700000003', name: 'Billing Queue' },
];
const callers = ['Acme Corp', 'Northwind', null, 'Globex', null, 'Initech', 'Umbrella Ltd', null, 'Stark Supply'];

/** A believable moment: most agents on calls or free since a while, a few ringing, one ring and one hold too long. */
function board(agents: FeedAgent[], now: number): LegInput[] {
  const legs: LegInput[] = [];
  agents.forEach((agent, i) => {
    const queue = queues[i % 3] ?? null;
    const counterpart = { name: callers[i % callers.length] ?? null, phoneNumber: `+1 555 01${String(10 + i).padStart(2, '0')}` };
    const base = { extensionId: agent.id, session: `s-shot-${i}`, counterpart, queue: i % 4 === 0 ? null : queue };
    const ago = (s: number) => now - s * 1000;
    if (i % 10 < 5) {
      const talk = 40 + ((i * 37) % 900);
      legs.push({
        ...base,
        status: 'Talking',
        startMs: ago(talk + 12),
        answerMs: ago(talk),
        statusSinceMs: ago(talk),
        ringMs: 12000,
        direction: i % 7 === 0 ? 'Outbound' : 'Inbound',
      });
    } else if (i % 10 === 5 && i < 60) {
      legs.push({
        ...base,
        status: 'OnHold',
        startMs: ago(400),
        answerMs: ago(380),
        statusSinceMs: ago(i === 5 ? 150 : 35),
        ringMs: 20000,
        talkMs: 300000,
        holdCount: 1,
      });
    } else if (i % 10 === 6 && i < 50) {
      const ring = i === 6 ? 42 : 4 + (i % 9);
      legs.push({ ...base, queue, status: 'Ringing', startMs: ago(ring), statusSinceMs: ago(ring) });
    } else {
      legs.push({
        ...base,
        status: 'Talking',
        startMs: ago(900 + i * 20),
        answerMs: ago(880 + i * 20),
        statusSinceMs: ago(880 + i * 20),
        ended: true,
      });
    }
  });
  return legs;
}

describe.runIf(folder)('screenshots for the README', () => {
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
    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1600, height: 980 } });
    const page = await context.newPage();
    await page.goto(pipeline.apiUrl);
    await page.waitForSelector('.agent-row[data-extension-id]', { timeout: 20000 });
    const now = Date.now();
    const legs = board(agents, now).map((leg) => snapshot(leg, now));
    // Ended legs first (they give "idle since"), then the live ones.
    await writeLegs(
      redis,
      prefix,
      legs.filter((leg) => leg.ended),
    );
    await writeLegs(
      redis,
      prefix,
      legs.filter((leg) => !leg.ended),
    );
    await page.waitForTimeout(2500);
    await page.screenshot({ path: resolve(folder as string, 'dashboard-live.png') });
    if (process.env.DEBUG_ROWS) {
      console.log(
        await page.evaluate(() =>
          [...document.querySelectorAll('.agent-row .state-text')]
            .slice(0, 4)
            .map((e) => `${e.textContent} ${getComputedStyle(e).color} ${e.closest('.agent-row')?.className}`)
            .join('\n'),
        ),
      );
      await page.screenshot({ path: resolve(folder as string, 'again.png') });
    }
    await page.goto(`${pipeline.apiUrl}/#/wall?pages=kpis,queues,agents&every=3600`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(2000);
    await page.screenshot({ path: resolve(folder as string, 'wallboard-kpis.png') });
    await page.goto(`${pipeline.apiUrl}/#/wall?pages=agents&every=3600`);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: resolve(folder as string, 'wallboard-agents.png') });
    await browser.close();
    redis.disconnect();
  });
});
