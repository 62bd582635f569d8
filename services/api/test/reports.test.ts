// The reports page's queries on the real servers, against figures computed here from the records: KPIs of a week and
// of the week before, calls per day and hour by result, the weekday x hour heatmap, ring/talk/hold with exact
// percentiles, the agent leaderboard, and the service level per queue. Every report cell drills down: the calls
// filter its documentation names counts exactly the legs of the cell (totalCount equal). An amended leg counts once,
// in its latest version; fax and redirected legs stay out unless the filter names them.
import { type CompletedLegRecord, legResults, nonCallResults, redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../test/support/env.js';
import { gql, type Json } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { leg, session } from './support/records.js';
import { storeRecords } from './support/stored-rows.js';

const iso = isolation(uniqueName('api_reports'));
const KEY = 'reports-viewer-key';
const zone = 'Europe/Berlin';
const week = { from: '2026-03-09', to: '2026-03-16', timeZone: zone }; // Monday to Monday, local
const weekMs = { from: Date.parse('2026-03-08T23:00:00Z'), to: Date.parse('2026-03-15T23:00:00Z') };
const previousMs = { from: weekMs.from - 7 * 86_400_000, to: weekMs.from };
const agents = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-5'];
const callResults = legResults.filter((result) => !nonCallResults.includes(result));
const results = [
  'Answered',
  'Answered',
  'Answered',
  'Missed',
  'Voicemail',
  'AnsweredElsewhere',
  'Transferred',
  'Cancelled',
  'Fax',
] as const;

/** Two weeks of legs (and one day each side of them) in Berlin's working hours and at night. */
function makeLegs(): CompletedLegRecord[] {
  const rand = createRandom(20260309).next;
  return Array.from({ length: 420 }, (_, i) => {
    const result = results[Math.floor(rand() * results.length)] as (typeof results)[number];
    const inbound = result === 'Missed' || result === 'AnsweredElsewhere' ? true : rand() < 0.7;
    const answered = result === 'Answered' || (result === 'Transferred' && rand() < 0.7);
    const talkMs = answered ? 1 + Math.floor(rand() * 400_000) : 0;
    const holdMs = talkMs > 0 && rand() < 0.3 ? 1 + Math.floor(rand() * 90_000) : 0;
    const ringMs = rand() < 0.1 ? 0 : 1000 * Math.floor(rand() * 40); // whole seconds: ties at the service level
    const startMs = previousMs.from - 86_400_000 + Math.floor(rand() * 16 * 86_400_000);
    return leg({
      telephonySessionId: `s-${i}`,
      extensionId: agents[i % agents.length] as string,
      startMs,
      direction: inbound ? 'Inbound' : 'Outbound',
      result,
      ringMs,
      talkMs,
      holdMs,
      answerMs: answered ? startMs + ringMs : 0,
      endedBy: rand() < 0.5 ? 'customer' : 'agent',
      queueId: i % 4 === 0 ? 'q-1' : '',
    });
  });
}

// s-0 (in the week, Tuesday 10:00 in Berlin) was amended: its first version, cancelled by a -1 row, must count nowhere.
const stored = makeLegs().map((record, i) => (i === 0 ? { ...record, startMs: weekMs.from + 33 * 3_600_000 } : record));
const firstVersion = { ...(stored[0] as CompletedLegRecord), version: 1, result: 'Missed' as const, talkMs: 0, answerMs: 0 };
const legs = stored.map((record) => (record.telephonySessionId === 's-0' ? { ...record, version: 2 } : record));
const inRange = (range: { from: number; to: number }) => (record: CompletedLegRecord) =>
  record.startMs >= range.from && record.startMs < range.to && !nonCallResults.includes(record.result);

// Queue sessions around the 20 s service level: waits of 20,000 ms count, 20,001 do not; abandoned ones are offered.
const sessions = [
  { queueId: 'q-sl', waitMs: 20_000, answered: true },
  { queueId: 'q-sl', waitMs: 20_001, answered: true },
  { queueId: 'q-sl', waitMs: 5_000, answered: true },
  { queueId: 'q-sl', waitMs: 0, answered: false },
  { queueId: 'q-other', waitMs: 1_000, answered: true },
].map(({ queueId, waitMs, answered }, i) => {
  const startMs = weekMs.from + 3_600_000 * (i + 10);
  return session({
    telephonySessionId: `q-s-${i}`,
    startMs,
    queueId,
    queueName: queueId,
    queueEnterMs: startMs,
    waitMs: answered ? waitMs : 0,
    firstAnswerMs: answered ? startMs + waitMs : 0,
    abandoned: !answered,
  });
});

let reporting: Started;
let api: Started;

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  await storeRecords(iso.name, [...legs, firstVersion, ...sessions], [firstVersion]);
  const redis = createRedis(redisUrl);
  const keys = redisKeys(iso.env.REDIS_KEY_PREFIX);
  await redis.hset(
    keys.extensions,
    Object.fromEntries(
      agents.map((id, i) => [
        id,
        JSON.stringify({ id, extensionNumber: `10${i + 1}`, name: `Agent ${i + 1}`, type: 'User', status: 'Enabled' }),
      ]),
    ),
  );
  redis.disconnect();
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}` });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  await cleanUp(iso);
});

const ask = async (query: string, variables: Record<string, unknown> = {}) => {
  const result = await gql(api.url, query, { key: KEY, variables });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as Json;
};

/** What `calls` counts with the report's filter (the week, unless given) plus the cell's restriction. */
const drill = async (cell: Record<string, unknown>, base: Record<string, unknown> = week): Promise<number> =>
  (await ask('query($f: CallFilter) { calls(filter: $f, first: 1) { totalCount } }', { f: { result: callResults, ...base, ...cell } }))
    .calls.totalCount;

const count = (records: CompletedLegRecord[], where: (record: CompletedLegRecord) => boolean) => records.filter(where).length;

describe('the calls explorer`s filters and orders', () => {
  it('sorts by duration both ways over cursors, and bounds durations from both sides', async () => {
    const mine = legs.filter((record) => record.startMs >= weekMs.from && record.startMs < weekMs.to);
    for (const direction of ['ASC', 'DESC'] as const) {
      const seen: Json[] = [];
      let after: string | null = null;
      do {
        const { calls } = await ask(
          'query($f: CallFilter, $a: String, $o: CallOrder) { calls(filter: $f, first: 40, after: $a, orderBy: $o) { pageInfo { hasNextPage endCursor } edges { node { telephonySessionId durationMs } } } }',
          { f: week, a: after, o: { field: 'DURATION', direction } },
        );
        seen.push(...calls.edges.map((edge: Json) => edge.node));
        after = calls.pageInfo.hasNextPage ? calls.pageInfo.endCursor : null;
      } while (after !== null);
      expect(seen.map((node) => node.telephonySessionId).sort()).toEqual(mine.map((record) => record.telephonySessionId).sort());
      const durations = seen.map((node) => node.durationMs);
      const sorted = [...durations].sort((a, b) => a - b);
      expect(durations).toEqual(direction === 'ASC' ? sorted : sorted.reverse());
    }
    const between = (record: CompletedLegRecord) => record.durationMs >= 20_000 && record.durationMs <= 100_000;
    expect(await drill({ minDurationMs: 20_000, maxDurationMs: 100_000, result: null })).toBe(mine.filter(between).length);
    const ringing = (record: CompletedLegRecord) => record.ringMs >= 5_000 && record.ringMs <= 10_000 && record.endedBy === 'agent';
    expect(await drill({ minRingMs: 5_000, maxRingMs: 10_000, endedBy: ['agent'], result: null })).toBe(mine.filter(ringing).length);
    expect(await drill({ answered: false, direction: 'Outbound', result: null })).toBe(
      mine.filter((record) => record.answerMs === 0 && record.direction === 'Outbound').length,
    );
  });
});

describe('reports, each cell drillable to exactly its calls', () => {
  it('KPIs of the week and of the week before: each count is its drill-down`s totalCount and the records` figure', async () => {
    const { reportKpis } = await ask(
      `query($f: CallFilter) { reportKpis(filter: $f) {
        current { from to calls inbound outbound offered answered missed abandoned voicemail answeredWithinServiceLevel
          serviceLevel serviceLevelSeconds averageSpeedOfAnswerMs handled averageHandleTimeMs talkMs holdMs }
        previous { from to calls inbound outbound offered answered missed abandoned voicemail answeredWithinServiceLevel
          serviceLevel averageSpeedOfAnswerMs handled averageHandleTimeMs talkMs holdMs } } }`,
      { f: week },
    );
    for (const [period, range] of [
      ['current', weekMs],
      ['previous', previousMs],
    ] as const) {
      const figures = reportKpis[period];
      expect({ from: figures.from, to: figures.to }).toEqual({
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      });
      const mine = legs.filter(inRange(range));
      const inbound = (record: CompletedLegRecord) => record.direction === 'Inbound';
      const answered = (record: CompletedLegRecord) => inbound(record) && record.answerMs > 0;
      const answeredLegs = mine.filter(answered);
      const handled = mine.filter((record) => record.answerMs > 0);
      expect(figures).toMatchObject({
        calls: mine.length,
        inbound: count(mine, inbound),
        outbound: count(mine, (record) => !inbound(record)),
        offered: count(mine, (record) => inbound(record) && record.result !== 'AnsweredElsewhere'),
        answered: answeredLegs.length,
        missed: count(mine, (record) => record.result === 'Missed'),
        abandoned: count(mine, (record) => record.result === 'Missed' && record.endedBy === 'customer'),
        voicemail: count(mine, (record) => inbound(record) && record.result === 'Voicemail'),
        answeredWithinServiceLevel: count(answeredLegs, (record) => record.ringMs <= 20_000),
        averageSpeedOfAnswerMs: Math.round(answeredLegs.reduce((sum, record) => sum + record.ringMs, 0) / answeredLegs.length),
        handled: handled.length,
        averageHandleTimeMs: Math.round(handled.reduce((sum, record) => sum + record.talkMs + record.holdMs, 0) / handled.length),
        talkMs: mine.reduce((sum, record) => sum + record.talkMs, 0),
        holdMs: mine.reduce((sum, record) => sum + record.holdMs, 0),
      });
      expect(figures.serviceLevel).toBeCloseTo(figures.answeredWithinServiceLevel / figures.offered, 12);
      expect(figures.calls).toBeGreaterThan(100);
      // The drill-downs documented on KpiFigures.
      const base = { from: figures.from, to: figures.to, timeZone: zone };
      const offeredResults = callResults.filter((result) => result !== 'AnsweredElsewhere');
      const drills: Array<[string, Record<string, unknown>]> = [
        ['calls', {}],
        ['inbound', { direction: 'Inbound' }],
        ['outbound', { direction: 'Outbound' }],
        ['offered', { direction: 'Inbound', result: offeredResults }],
        ['answered', { direction: 'Inbound', answered: true }],
        ['missed', { result: ['Missed'] }],
        ['abandoned', { result: ['Missed'], endedBy: ['customer'] }],
        ['voicemail', { direction: 'Inbound', result: ['Voicemail'] }],
        ['answeredWithinServiceLevel', { direction: 'Inbound', answered: true, maxRingMs: 20_000 }],
        ['handled', { answered: true }],
      ];
      for (const [name, cell] of drills) expect(await drill(cell, base), `${period} ${name}`).toBe(figures[name]);
    }
  });

  it('calls per day and per hour by result: every local bucket, each one`s drill-down equal', async () => {
    const { days, hours } = await ask(
      `query($f: CallFilter) {
        days: callVolume(filter: $f, interval: DAY) { key from to calls byResult { result count } }
        hours: callVolume(filter: $f, interval: HOUR) { key from to calls }
      }`,
      { f: week },
    );
    expect(days.map((day: Json) => day.key)).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ]);
    expect(hours).toHaveLength(7 * 24);
    expect(hours[0]).toMatchObject({
      key: '2026-03-09T00:00:00.000+01:00',
      from: '2026-03-08T23:00:00.000Z',
      to: '2026-03-09T00:00:00.000Z',
    });
    const total = legs.filter(inRange(weekMs)).length;
    expect(days.reduce((sum: number, day: Json) => sum + day.calls, 0)).toBe(total);
    expect(hours.reduce((sum: number, hour: Json) => sum + hour.calls, 0)).toBe(total);
    for (const day of days.slice(0, 3)) {
      expect(await drill({ from: day.from, to: day.to })).toBe(day.calls);
      for (const { result, count: n } of day.byResult) expect(await drill({ from: day.from, to: day.to, result: [result] })).toBe(n);
    }
    for (const hour of hours.filter((bucket: Json) => bucket.calls > 0).slice(0, 3)) {
      expect(await drill({ from: hour.from, to: hour.to })).toBe(hour.calls);
    }
  });

  it('the weekday x hour heatmap and the hour-of-day density: cells drill down by weekdays and hours', async () => {
    const { weekdayHourHeatmap: cells, hourlyDensity } = await ask(
      `query($f: CallFilter) {
        weekdayHourHeatmap(filter: $f) { weekday hour calls inbound outbound answered missed voicemail }
        hourlyDensity(filter: $f) { hour calls missed voicemail }
      }`,
      { f: week },
    );
    expect(cells).toHaveLength(168);
    expect(cells[0]).toMatchObject({ weekday: 1, hour: 0 });
    const local = (ms: number) => new Date(ms + 3_600_000); // Berlin is +01:00 all that week
    const mine = legs.filter(inRange(weekMs));
    for (const cell of cells) {
      const here = mine.filter(
        (record) => ((local(record.startMs).getUTCDay() + 6) % 7) + 1 === cell.weekday && local(record.startMs).getUTCHours() === cell.hour,
      );
      expect(cell.calls, `${cell.weekday} ${cell.hour}`).toBe(here.length);
    }
    for (const cell of cells.filter((candidate: Json) => candidate.calls > 0).slice(0, 3)) {
      const at = { weekdays: [cell.weekday], hours: [cell.hour] };
      expect(await drill(at)).toBe(cell.calls);
      expect(await drill({ ...at, answered: true })).toBe(cell.answered);
      expect(await drill({ ...at, direction: 'Inbound' })).toBe(cell.inbound);
      expect(await drill({ ...at, result: ['Missed'] })).toBe(cell.missed);
    }
    for (const hour of hourlyDensity.filter((candidate: Json) => candidate.missed > 0).slice(0, 2)) {
      expect(await drill({ hours: [hour.hour] })).toBe(hour.calls);
      expect(await drill({ hours: [hour.hour], result: ['Missed'] })).toBe(hour.missed);
    }
  });

  it('ring, talk and hold: count, mean, exact p50 and p90 (rank floor(q n) of the sorted durations) and maximum', async () => {
    const { durationStats } = await ask(
      'query($f: CallFilter) { durationStats(filter: $f) { calls ring { count totalMs averageMs p50Ms p90Ms maxMs } talk { count p50Ms p90Ms maxMs } hold { count p50Ms p90Ms maxMs } } }',
      { f: week },
    );
    const mine = legs.filter(inRange(weekMs));
    expect(durationStats.calls).toBe(mine.length);
    for (const [phase, field] of [
      ['ring', 'ringMs'],
      ['talk', 'talkMs'],
      ['hold', 'holdMs'],
    ] as const) {
      const sorted = mine
        .map((record) => record[field])
        .filter((ms) => ms > 0)
        .sort((a, b) => a - b);
      const rank = (q: number) => sorted[Math.floor(q * sorted.length)];
      expect(durationStats[phase]).toMatchObject({ count: sorted.length, p50Ms: rank(0.5), p90Ms: rank(0.9), maxMs: sorted.at(-1) });
      const minimum = { ring: 'minRingMs', talk: 'minTalkMs', hold: 'minHoldMs' }[phase];
      expect(await drill({ [minimum]: 1 })).toBe(sorted.length);
      expect(await drill({ [minimum]: sorted.at(-1) })).toBeGreaterThanOrEqual(1);
    }
    expect(durationStats.ring.averageMs).toBe(Math.round(durationStats.ring.totalMs / durationStats.ring.count));
  });

  it('the agent leaderboard: sorted on the server (ties by extension id), names from the directory, rows drill down', async () => {
    const { byAnswered, byHandleTime } = await ask(
      `query($f: CallFilter) {
        byAnswered: agentLeaderboard(filter: $f, orderBy: { field: ANSWERED, direction: DESC }) {
          extensionId extensionNumber name calls inbound outbound answered missed voicemail talkMs holdMs averageHandleTimeMs }
        byHandleTime: agentLeaderboard(filter: $f, orderBy: { field: AVERAGE_HANDLE_TIME, direction: ASC }, first: 2) { extensionId averageHandleTimeMs }
      }`,
      { f: week },
    );
    const mine = legs.filter(inRange(weekMs));
    const expected = agents.map((id) => {
      const own = mine.filter((record) => record.extensionId === id);
      const answered = own.filter((record) => record.answerMs > 0);
      return {
        extensionId: id,
        calls: own.length,
        answered: answered.length,
        missed: count(own, (record) => record.result === 'Missed'),
        talkMs: own.reduce((sum, record) => sum + record.talkMs, 0),
        averageHandleTimeMs: Math.round(answered.reduce((sum, record) => sum + record.talkMs + record.holdMs, 0) / answered.length),
        exactHandleTime: answered.reduce((sum, record) => sum + record.talkMs + record.holdMs, 0) / answered.length,
      };
    });
    const answeredOrder = [...expected].sort((a, b) => b.answered - a.answered || a.extensionId.localeCompare(b.extensionId));
    expect(byAnswered.map((row: Json) => row.extensionId)).toEqual(answeredOrder.map((row) => row.extensionId));
    for (const row of byAnswered) {
      const { exactHandleTime: _exact, ...figures } = expected.find((candidate) => candidate.extensionId === row.extensionId) ?? {};
      expect(row).toMatchObject(figures);
      expect(row.name).toBe(`Agent ${agents.indexOf(row.extensionId) + 1}`);
    }
    const handleOrder = [...expected].sort((a, b) => a.exactHandleTime - b.exactHandleTime).slice(0, 2);
    expect(byHandleTime.map((row: Json) => row.extensionId)).toEqual(handleOrder.map((row) => row.extensionId));
    for (const row of byAnswered.slice(0, 2)) {
      expect(await drill({ extensionIds: [row.extensionId] })).toBe(row.calls);
      expect(await drill({ extensionIds: [row.extensionId], answered: true })).toBe(row.answered);
      expect(await drill({ extensionIds: [row.extensionId], result: ['Missed'] })).toBe(row.missed);
    }
  });

  it('counts fax legs when the filter names them, and no other report field leaks them', async () => {
    const fax = legs.filter((record) => record.result === 'Fax' && record.startMs >= weekMs.from && record.startMs < weekMs.to);
    expect(fax.length).toBeGreaterThan(0);
    const { reportKpis } = await ask('query($f: CallFilter) { reportKpis(filter: $f) { current { calls } } }', {
      f: { ...week, result: ['Fax'] },
    });
    expect(reportKpis.current.calls).toBe(fax.length);
  });

  it('queueStats: service level per queue is answered within API_SERVICE_LEVEL_SECONDS (20 s, included) over offered', async () => {
    const { queueStats } = await ask(`{ queueStats(from: "2026-03-09", to: "2026-03-16", timeZone: "${zone}") {
      queueId offered answered abandoned answeredWithinServiceLevel serviceLevel serviceLevelSeconds } }`);
    const sl = queueStats.find((row: Json) => row.queueId === 'q-sl');
    expect(sl).toEqual({
      queueId: 'q-sl',
      offered: 4,
      answered: 3,
      abandoned: 1,
      answeredWithinServiceLevel: 2,
      serviceLevel: 0.5,
      serviceLevelSeconds: 20,
    });
    expect(queueStats.find((row: Json) => row.queueId === 'q-other')).toMatchObject({ offered: 1, serviceLevel: 1 });
  });
});
