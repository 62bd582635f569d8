// The KPI history against the built API on the real Redis and ClickHouse: a dashboard opened after the API started
// gets the past hour at once. Today's figures at each minute come from ClickHouse (the calls that had ended by then),
// read once per minute per zone whatever the number of dashboards; the live figures of the hour before the API
// started are rebuilt from the calls; kpiHistoryChanged sends the hour first, then each new point (a ringing agent in
// the next 15 s sample).
import { redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { snapshot, writeLegs } from '../../../web/test/support/redis-feed.js';
import { gql, type Json, metricValue, wsClient, wsSubscribe } from './support/client.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { leg, session } from './support/records.js';

const iso = isolation(uniqueName('api_kpi_history'));
const prefix = iso.env.REDIS_KEY_PREFIX as string;
const KEY = 'kpi-history-viewer-key';
const agents = ['650000001', '650000002', '650000003'];
const queue = { id: '750000001', name: 'Support Queue' };
const MIN = 60_000;
const now = Date.now();
// A zone where the past hour is all today (not within two hours of local midnight), so the expected figures are simple.
const zone =
  ['UTC', 'Asia/Tokyo', 'America/New_York'].find((name) => {
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', hourCycle: 'h23' }).format(now));
    return hour >= 2 && hour < 22;
  }) ?? 'UTC';

// A: answered after 8 s of waiting, talked until 35 min ago. B: abandoned after 49 s of ringing, 20 min ago.
// C: answered after 30 s (beyond the 20 s service level), ended 15 min ago.
const a = now - 40 * MIN;
const b = now - 20 * MIN;
let reporting: Started;
let api: Started;
const redis = createRedis(redisUrl);

async function clickhouseCount(table: string): Promise<number> {
  const response = await fetch(`${clickhouseUrl}/?query=${encodeURIComponent(`SELECT count() FROM ${iso.name}.${table}`)}`);
  return Number((await response.text()).trim());
}

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  const keys = redisKeys(prefix);
  for (const [i, id] of agents.entries()) {
    await redis.hset(
      keys.extensions,
      id,
      JSON.stringify({ id, extensionNumber: `40${i}`, name: `Agent ${i}`, type: 'User', status: 'Enabled' }),
    );
  }
  await redis.sadd(keys.monitoredExtensions, ...agents);
  await produceRecords(iso, [
    session({
      telephonySessionId: 's-kpi-a',
      startMs: a,
      endMs: a + 5 * MIN,
      queueId: queue.id,
      queueEnterMs: a,
      firstAnswerMs: a + 8000,
      waitMs: 8000,
      answeredByExtensionId: agents[0] as string,
    }),
    session({ telephonySessionId: 's-kpi-b', startMs: b, endMs: b + 49_000, queueId: queue.id, queueEnterMs: b, abandoned: true }),
    session({
      telephonySessionId: 's-kpi-c',
      startMs: b,
      endMs: now - 15 * MIN,
      queueId: queue.id,
      queueEnterMs: b,
      firstAnswerMs: b + 30_000,
      waitMs: 30_000,
      answeredByExtensionId: agents[2] as string,
    }),
    leg({ telephonySessionId: 's-kpi-a', extensionId: agents[0] as string, startMs: a, ringMs: 8000, talkMs: 5 * MIN - 8000 }),
    leg({
      telephonySessionId: 's-kpi-b',
      extensionId: agents[1] as string,
      startMs: b,
      ringMs: 49_000,
      result: 'Missed',
      missedCall: true,
    }),
    leg({ telephonySessionId: 's-kpi-c', extensionId: agents[2] as string, startMs: b, ringMs: 30_000, talkMs: 5 * MIN - 30_000 }),
  ]);
  // The rebuild reads the legs from their start-ordered copy: ClickHouse shows an insert's rows in the log before its
  // views have pushed them into the copies, so the copy is waited for too (else the API could rebuild the hour without
  // them, once).
  await waitFor(
    async () =>
      (await clickhouseCount('sessions')) === 3 && (await clickhouseCount('legs')) === 3 && (await clickhouseCount('legs_by_start')) === 3,
    { timeoutMs: 30_000, what: 'the calls in ClickHouse and in the copy the rebuild reads' },
  );
  // The API starts after the calls: the hour before it is rebuilt from them.
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}` });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  redis.disconnect();
  await cleanUp(iso);
});

const fields = `timeZone snapshot liveStepSeconds todayStepSeconds
  live { at agents idle ringing talking onHold voicemail activeCalls waiting longestWaitMs }
  today { at offered answered missed abandoned serviceLevel averageSpeedOfAnswerMs }`;
const at = (point: Json) => Date.parse(point.at);
/** The point nearest to ms. */
const near = (points: Json[], ms: number) =>
  points.reduce((best: Json, point: Json) => (Math.abs(at(point) - ms) < Math.abs(at(best) - ms) ? point : best), points[0]);

describe('the KPI history', () => {
  it("serves the past hour at once: today's figures at each minute from ClickHouse, the live ones rebuilt from the calls", async () => {
    const history = await waitFor(
      async () => {
        const result = await gql(api.url, `{ kpiHistory(timeZone: "${zone}") { ${fields} } }`, { key: KEY });
        const data = result.data?.kpiHistory;
        // The rebuilt hour arrives shortly after the start.
        return data && data.live.length > 200 ? data : undefined;
      },
      { timeoutMs: 30_000, what: 'the rebuilt hour' },
    );
    expect(history).toMatchObject({ timeZone: zone, snapshot: true, liveStepSeconds: 15, todayStepSeconds: 60 });

    // Today: a point every whole minute of the hour; each counts the calls that had ended by then.
    const today: Json[] = history.today;
    expect(today.length).toBeGreaterThanOrEqual(60);
    expect(at(today[0]) % MIN).toBe(0);
    expect(at(today[0])).toBeLessThanOrEqual(Date.now() - 58 * MIN);
    expect(at(today.at(-1))).toBeGreaterThan(Date.now() - 2 * MIN);
    const figures = (point: Json) => [point.offered, point.answered, point.missed, point.abandoned];
    expect(figures(near(today, now - 50 * MIN))).toEqual([0, 0, 0, 0]);
    expect(near(today, now - 50 * MIN)).toMatchObject({ serviceLevel: null, averageSpeedOfAnswerMs: null });
    expect(figures(near(today, now - 25 * MIN))).toEqual([1, 1, 0, 0]);
    expect(near(today, now - 25 * MIN)).toMatchObject({ serviceLevel: 1, averageSpeedOfAnswerMs: 8000 });
    expect(figures(today.at(-1))).toEqual([3, 2, 0, 1]);
    expect(today.at(-1).serviceLevel).toBeCloseTo(1 / 3);
    expect(today.at(-1).averageSpeedOfAnswerMs).toBe(19_000);

    // Live: every 15 s over the hour, the part before the API started rebuilt from the calls.
    const live: Json[] = history.live;
    expect(at(live[0])).toBeLessThanOrEqual(Date.now() - 59 * MIN);
    expect(near(live, now - 37 * MIN)).toMatchObject({ agents: 3, talking: 1, idle: 2, ringing: 0, activeCalls: 1, waiting: 0 });
    // 15 s after B and C started: both agents rang, both calls waited in the queue (one since 15 s).
    const ringing = live.find((point) => at(point) >= b + 2000 && at(point) < b + 29_000);
    expect(ringing).toMatchObject({ ringing: 2, idle: 1, activeCalls: 2, waiting: 2 });
    expect(ringing.longestWaitMs).toBe(at(ringing) - b);
    expect(near(live, now - 5 * MIN)).toMatchObject({ idle: 3, talking: 0, activeCalls: 0, waiting: 0 });
  });

  it('reads ClickHouse at most once a minute per zone, however many dashboards ask', async () => {
    // Not across the next read's instant (10 s after each minute).
    await waitFor(() => (Date.now() - 10_000) % MIN < 40_000, { timeoutMs: 30_000, intervalMs: 200, what: 'a quiet part of the minute' });
    const query = `{ kpiHistory(timeZone: "${zone}") { today { at offered } } }`;
    await gql(api.url, query, { key: KEY });
    const reads = () => metricValue(api.url, 'callpulse_api_clickhouse_query_seconds_count', 'query="today_history",outcome="ok"');
    const before = await reads();
    for (let i = 0; i < 5; i += 1) expect((await gql(api.url, query, { key: KEY })).data?.kpiHistory.today.length).toBeGreaterThan(59);
    expect(await reads()).toBe(before);
    // The rebuild ran once, at the start.
    expect(await metricValue(api.url, 'callpulse_api_clickhouse_query_seconds_count', 'query="kpi_backfill_legs",outcome="ok"')).toBe(1);
    expect((await gql(api.url, '{ kpiHistory(timeZone: "Mars/Olympus") { timeZone } }', { key: KEY })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('sends the hour first, then each new point: an agent ringing shows in the next sample', async () => {
    const client = wsClient(api.url, KEY);
    const messages = wsSubscribe(client, `subscription { kpiHistoryChanged(timeZone: "${zone}") { ${fields} } }`);
    await waitFor(() => messages.received.length >= 1, { what: 'the first message' });
    const first = messages.received[0]?.kpiHistoryChanged;
    expect(first.snapshot).toBe(true);
    expect(first.live.length).toBeGreaterThan(200);
    expect(first.today.at(-1).offered).toBe(3);

    const started = Date.now();
    await writeLegs(redis, prefix, [
      snapshot({
        extensionId: agents[1] as string,
        session: 's-kpi-live',
        status: 'Ringing',
        startMs: started,
        statusSinceMs: started,
        queue,
      }),
    ]);
    const added = await waitFor(
      () =>
        messages.received
          .map((message: Json) => message.kpiHistoryChanged)
          .find((message: Json) => !message.snapshot && message.live.some((point: Json) => point.ringing === 1)),
      { timeoutMs: 20_000, what: 'a live point with the ringing agent' },
    );
    expect(added.live).toHaveLength(1);
    expect(added.today).toEqual([]);
    expect(added.live[0]).toMatchObject({ agents: 3, ringing: 1, idle: 2, activeCalls: 1, waiting: 1 });
    expect(at(added.live[0])).toBeGreaterThanOrEqual(started);
    expect(messages.errors).toEqual([]);
    messages.close();
    await client.dispose();
  });

  it("subscriptions get their time zone, as a literal or a variable (the JIT executor once dropped a subscription's arguments)", async () => {
    const client = wsClient(api.url, KEY);
    const received: Array<{ field: string; timeZone: string }> = [];
    const operations = [
      ['todayStatsChanged', 'subscription { todayStatsChanged(timeZone: "Asia/Tokyo") { timeZone } }', {}],
      ['todayStatsChanged', 'subscription($zone: String) { todayStatsChanged(timeZone: $zone) { timeZone } }', { zone: 'Asia/Tokyo' }],
      ['kpiHistoryChanged', 'subscription { kpiHistoryChanged(timeZone: "Asia/Tokyo") { timeZone } }', {}],
      ['kpiHistoryChanged', 'subscription($zone: String) { kpiHistoryChanged(timeZone: $zone) { timeZone } }', { zone: 'Asia/Tokyo' }],
    ] as const;
    const stops = operations.map(([field, query, variables]) =>
      client.subscribe(
        { query, variables },
        {
          next: (result) => received.push({ field, timeZone: (result.data as Json)?.[field]?.timeZone }),
          error: () => undefined,
          complete: () => undefined,
        },
      ),
    );
    await waitFor(() => received.length >= operations.length, { what: 'a message of each subscription' });
    expect(new Set(received.map((message) => message.field))).toEqual(new Set(['todayStatsChanged', 'kpiHistoryChanged']));
    expect(new Set(received.map((message) => message.timeZone))).toEqual(new Set(['Asia/Tokyo']));
    for (const stop of stops) stop();
    await client.dispose();
  });
});
