// The explorer sorted by a duration (value-windows.ts: the page chosen among the rows beyond a guessed threshold) gives
// exactly the plain query's pages, every page through the cursors, on records written by the real reporting service:
// amendments (-1 rows) that move legs to and from the top of each order and across the range's bounds, a replayed
// round, and ties in every sort value (many more legs of one value than a page, zeros above all), in both directions,
// with and without filters. The windows must serve most pages (not the plain query they fall back to).
import type { CompletedLegRecord, CompletedRecord } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import type { LegRow } from '../src/history/call-node.js';
import { type CallOrderField, type CallsPageQuery, callsSql, queryCalls } from '../src/history/calls-query.js';
import type { QueryRunner } from '../src/history/clickhouse-runner.js';
import type { LegFilter } from '../src/history/leg-filter.js';
import { resolveRange, type TimeRange } from '../src/history/time-range.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { leg } from './support/records.js';

const iso = isolation(uniqueName('api_value_windows'));
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const asked: string[] = [];
const runner: QueryRunner = {
  async rows<T>(name: string, query: { text: string }) {
    asked.push(name);
    return (await clickhouse.query({ query: query.text, format: 'JSONEachRow' })).json<T>();
  },
};

const rand = createRandom(20261201).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
/** Durations from a few values (ties far beyond a page), zeros often, and some of their own. */
const duration = (values: readonly number[]) => (rand() < 0.6 ? pick(values) : Math.floor(rand() * 400_000));
function figures(): Partial<CompletedLegRecord> {
  const talkMs = rand() < 0.25 ? 0 : duration([0, 60_000, 120_000, 300_000]);
  const holdMs = talkMs === 0 || rand() < 0.5 ? 0 : duration([5_000, 30_000]);
  return {
    direction: rand() < 0.6 ? 'Inbound' : 'Outbound',
    result: talkMs > 0 ? 'Answered' : pick(['Missed', 'Voicemail', 'Cancelled'] as const),
    ringMs: duration([0, 4_000, 10_000, 20_000]),
    talkMs,
    holdMs,
  };
}
const first = Date.parse('2026-03-01T00:00:00Z');
const span = 31 * 86_400_000;
const version1 = Array.from({ length: 700 }, (_, i) =>
  leg({
    telephonySessionId: `s-vw-${i}`,
    extensionId: pick(['ext-1', 'ext-2', 'ext-3']),
    startMs: first + Math.floor(rand() * span),
    ...figures(),
  }),
);
/** An amendment: new figures (often the order's top values or zero), some moved by up to two days. */
const amend = (record: CompletedLegRecord): CompletedLegRecord => {
  const top = rand() < 0.5 ? { talkMs: 900_000, ringMs: 60_000, holdMs: 0 } : {};
  const startMs = rand() < 0.3 ? record.startMs + Math.floor((rand() - 0.5) * 4 * 86_400_000) : record.startMs;
  const next = { ...record, ...figures(), ...top, startMs, version: record.version + 1 };
  return { ...next, durationMs: next.ringMs + next.talkMs + next.holdMs, answerMs: next.talkMs > 0 ? startMs + next.ringMs : 0 };
};
// The top of each order amended away (a page's worth of superseded versions there), then a third of the rest.
const topTalk = [...version1].sort((a, b) => b.talkMs - a.talkMs).slice(0, 12);
const version2 = [...new Set([...topTalk, ...version1.filter(() => rand() < 0.3)])].map(amend);
const version3 = version2.filter(() => rand() < 0.3).map(amend);

const rows = async <T>(query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();

let reporting: Started;
beforeAll(async () => {
  reporting = await startService('reporting', iso);
  const sent = new Map<string, number>();
  // version2 twice: a replayed round changes nothing.
  for (const round of [version1, version2, version2, version3] as CompletedRecord[][]) {
    await produceRecords(iso, round);
    for (const record of round) sent.set(record.telephonySessionId, record.version);
    const expected = [...sent.values()].reduce((sum, version) => sum + version, 0);
    await waitFor(
      async () => {
        const [row] = await rows<{ n: string; copy: string }>(
          `SELECT (SELECT sum(sign * version) FROM ${escapeIdentifier(iso.name)}.legs) AS n, (SELECT sum(sign * version) FROM ${escapeIdentifier(iso.name)}.legs_by_start) AS copy`,
        );
        return Number(row?.n) === expected && Number(row?.copy) === expected;
      },
      { timeoutMs: 60000, what: 'every version stored in legs and legs_by_start' },
    );
  }
}, 120_000);

afterAll(async () => {
  await reporting?.process.stop();
  await clickhouse.close();
  await cleanUp(iso);
});

const keysOf = (legs: LegRow[]) => legs.map((row) => `${row.telephony_session_id}/${row.party_id}`);

describe('the explorer sorted by a duration', () => {
  it('has superseded versions in the range (the test means something)', async () => {
    const [row] = await rows<{ n: string }>(`SELECT countIf(sign = -1) AS n FROM ${escapeIdentifier(iso.name)}.legs_by_start`);
    expect(Number(row?.n)).toBeGreaterThan(100);
  });

  it('gives the plain query’s pages, every page, in every order, direction and filter', async () => {
    const month = resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone: 'America/New_York' }, 366);
    const week = resolveRange({ from: '2026-03-09', to: '2026-03-16', timeZone: 'Asia/Kolkata' }, 366);
    const cases: Array<[TimeRange, LegFilter, number]> = [
      [month, {}, 7],
      [month, { extensionIds: ['ext-2'], minTalkMs: 1 }, 7],
      [week, { direction: 'Inbound' }, 30],
    ];
    asked.length = 0;
    let pages = 0;
    for (const [range, filter, first] of cases) {
      for (const field of ['TALK', 'DURATION', 'RING', 'HOLD'] as CallOrderField[]) {
        for (const direction of ['DESC', 'ASC'] as const) {
          const base: CallsPageQuery = { database: iso.name, range, filter, order: { field, direction }, first, count: false };
          let after: string | null = null;
          let seen = 0;
          const [total] = await rows<{ total: string }>(callsSql(base).count.text);
          for (;;) {
            const before = asked.length;
            const page = await queryCalls(runner, { ...base, after });
            // With totalCount's query, within the API's budget of four a request (API_CLICKHOUSE_QUERIES_PER_REQUEST).
            expect(asked.length - before, 'queries of a page').toBeLessThanOrEqual(3);
            const expected = await rows<LegRow>(callsSql({ ...base, after }).page.text);
            const what = `${range.timeZone} ${JSON.stringify(filter)} ${field} ${direction} first ${first} page ${pages}`;
            expect(
              page.edges.map((edge) => `${edge.node.telephonySessionId}/${edge.node.partyId}`),
              what,
            ).toEqual(keysOf(expected.slice(0, first)));
            expect(page.pageInfo.hasNextPage, what).toBe(expected.length > first);
            seen += page.edges.length;
            pages += 1;
            after = page.pageInfo.endCursor;
            if (!page.pageInfo.hasNextPage) break;
          }
          expect(seen).toBe(Number(total?.total));
        }
      }
    }
    const windows = asked.filter((name) => name === 'calls_value_window').length;
    const plain = asked.filter((name) => name === 'calls_widened').length;
    expect(pages).toBeGreaterThan(200);
    // A good share of the pages from their window; the plain query for the ties the guess cannot see past (this data's
    // ties hold up to a hundred legs, far more than a page of 7's guess of 32 rows).
    expect(windows).toBeGreaterThan(pages / 3);
    expect(plain).toBeGreaterThan(0);
  }, 300_000);
});
