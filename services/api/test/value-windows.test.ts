// The explorer sorted by a duration (value-windows.ts: the page chosen among the rows beyond a guessed threshold) gives
// exactly the plain query's pages, every page through the cursors, on records written by the real reporting service:
// amendments (-1 rows) that move legs to and from the top of each order and across the range's bounds, a replayed
// round, and ties in every sort value (many more legs of one value than a page, zeros above all), in both directions,
// with and without filters, reading every column or the keys alone. The windows must serve most pages (not the plain query they fall back to). A cursor page
// carrying the next pages' thresholds (hints) reads its window through them, one query less, and a stale hint (legs
// amended or added between pages) or a forged one never changes a page.
import type { CompletedLegRecord, CompletedRecord } from '@callpulse/contracts';
import { createClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { createRandom } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { callColumns, type LegRow } from '../src/history/call-node.js';
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
const sent = new Map<string, number>();
/** The latest record sent of each session (the stale-hint test amends them). */
const latest = new Map<string, CompletedLegRecord>();

/** Writes a round of records through the reporting service and waits until every version is stored. */
async function store(round: CompletedLegRecord[]): Promise<void> {
  await produceRecords(iso, round as CompletedRecord[]);
  for (const record of round) {
    sent.set(record.telephonySessionId, record.version);
    latest.set(record.telephonySessionId, record);
  }
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

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  // version2 twice: a replayed round changes nothing.
  for (const round of [version1, version2, version2, version3]) await store(round);
}, 120_000);

afterAll(async () => {
  await reporting?.process.stop();
  await clickhouse.close();
  await cleanUp(iso);
});

const keysOf = (legs: LegRow[]) => legs.map((row) => `${row.telephony_session_id}/${row.party_id}`);
/** A cursor's parts: [field, direction, value, session, party, hints?] (calls-query.ts CallCursor). */
const cursorParts = (cursor: string): unknown[] => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
const withHints = (cursor: string, hints: unknown): string =>
  Buffer.from(JSON.stringify([...cursorParts(cursor).slice(0, 5), hints]), 'utf8').toString('base64url');
const hintsOf = (cursor: string | null) => (cursor === null ? [] : ((cursorParts(cursor)[5] as number[] | undefined) ?? []));

/** Whether a page equals the plain ORDER BY query's page after the same cursor (its rows and whether more follow). */
async function expectPlain(base: CallsPageQuery, after: string | null, what: string) {
  const page = await queryCalls(runner, { ...base, after });
  const expected = await rows<LegRow>(callsSql({ ...base, after }).page.text);
  expect(
    page.edges.map((edge) => `${edge.node.telephonySessionId}/${edge.node.partyId}`),
    what,
  ).toEqual(keysOf(expected.slice(0, base.first)));
  expect(page.pageInfo.hasNextPage, what).toBe(expected.length > base.first);
  return { page, expected };
}

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
    let hinted = 0;
    for (const [range, filter, first] of cases) {
      for (const field of ['TALK', 'DURATION', 'RING', 'HOLD'] as CallOrderField[]) {
        for (const direction of ['DESC', 'ASC'] as const) {
          // Ascending pages read only the key columns (as a request asking for partyId alone): the cursor's sort value
          // is read all the same.
          const read = direction === 'ASC' ? callColumns(['partyId']) : undefined;
          const base: CallsPageQuery = { database: iso.name, range, filter, order: { field, direction }, first, count: false, read };
          let after: string | null = null;
          let seen = 0;
          const [total] = await rows<{ total: string }>(callsSql(base).count.text);
          for (;;) {
            const before = asked.length;
            const page = await queryCalls(runner, { ...base, after });
            // With totalCount's query, within the API's budget of four a request (API_CLICKHOUSE_QUERIES_PER_REQUEST);
            // one less through a hint, which on unchanged data always holds its page (no plain query after it).
            const hint = hintsOf(after).length > 0;
            hinted += hint ? 1 : 0;
            expect(asked.length - before, 'queries of a page').toBeLessThanOrEqual(hint ? 2 : 3);
            if (hint) expect(asked.slice(before), 'a hinted page').toEqual(['calls_value_hinted', 'calls_value_page']);
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
    const keyWindows = asked.filter((name) => name === 'calls_value_window').length;
    const wholeWindows = asked.filter((name) => name === 'calls_value_window_rows').length;
    const windows = keyWindows + wholeWindows;
    const plain = asked.filter((name) => name === 'calls_widened').length;
    expect(pages).toBeGreaterThan(200);
    // Both kinds of window: about a page read whole, and larger ones by their keys, then the page's rows.
    expect(wholeWindows).toBeGreaterThan(0);
    expect(keyWindows).toBeGreaterThan(0);
    // A good share of the pages from their window; the plain query for the ties the guess cannot see past (this data's
    // ties hold up to a hundred legs, far more than a page of 7's guess of 32 rows).
    expect(windows + hinted).toBeGreaterThan(pages / 3);
    expect(hinted).toBeGreaterThan(pages / 5);
    expect(plain).toBeGreaterThan(0);
  }, 300_000);

  const month = resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone: 'America/New_York' }, 366);
  const ringDesc: CallsPageQuery = {
    database: iso.name,
    range: month,
    filter: {},
    order: { field: 'RING', direction: 'DESC' },
    first: 7,
    count: false,
  };
  const talkAsc: CallsPageQuery = { ...ringDesc, order: { field: 'TALK', direction: 'ASC' }, first: 20 };

  /** The end cursor of the first page whose end cursor carries hints (the first page's own may not: ties at the top). */
  async function hintedCursor(base: CallsPageQuery): Promise<string> {
    let after: string | null = null;
    for (let i = 0; i < 30; i += 1) {
      const page = await queryCalls(runner, { ...base, after });
      after = page.pageInfo.endCursor;
      if (hintsOf(after).length > 0) return after as string;
    }
    throw new Error('no page handed on a hint');
  }

  it('gives the plain query’s page through a forged hint (too high, too low, at the cursor’s value), in both directions', async () => {
    for (const base of [ringDesc, talkAsc]) {
      const after = await hintedCursor(base);
      const value = cursorParts(after)[2] as number;
      const beyondAll = base.order.direction === 'DESC' ? 0 : 10_000_000;
      const forged: Array<[string, number[]]> = [
        ['too high (an empty window)', [base.order.direction === 'DESC' ? value + 1 : Math.max(0, value - 1)]],
        ['at the cursor’s value', [value]],
        ['too low (every leg after the cursor, cut by the limit)', [beyondAll]],
        ['its next pages’ own, shifted', hintsOf(after).slice(1)],
      ];
      for (const [what, hints] of forged) {
        asked.length = 0;
        const { page } = await expectPlain(base, withHints(after, hints), `${base.order.field} ${base.order.direction} hint ${what}`);
        if (hints.length > 0) expect(asked.length, what).toBeLessThanOrEqual(2);
        // The page hands on the rest of the forged hints, which the next page checks again.
        if (page.pageInfo.hasNextPage) await expectPlain(base, page.pageInfo.endCursor, `${what}, the page after`);
      }
    }
  }, 120_000);

  it('refuses a cursor whose hints are not whole numbers >= 0 (a cursor of this query never has such)', async () => {
    const after = await hintedCursor(ringDesc);
    for (const hints of [['x'], [-1], [2.5], [null], 'x', Array.from({ length: 9 }, () => 1)]) {
      await expect(queryCalls(runner, { ...ringDesc, after: withHints(after, hints) }), JSON.stringify(hints)).rejects.toThrow(
        /after is not a cursor of this query/,
      );
    }
    const start: CallsPageQuery = { ...ringDesc, order: { field: 'START', direction: 'DESC' } };
    const startCursor = (await queryCalls(runner, start)).pageInfo.endCursor as string;
    await expect(queryCalls(runner, { ...start, after: withHints(startCursor, [1]) })).rejects.toThrow(
      /after is not a cursor of this query/,
    );
    // A cursor made before hints (five parts) works as before.
    await expectPlain(ringDesc, Buffer.from(JSON.stringify(cursorParts(after).slice(0, 5))).toString('base64url'), 'no hint');
  }, 60_000);

  // Last: it changes the legs.
  it('gives the plain query’s pages through a stale hint: the next page’s legs amended away, then legs added in its window', async () => {
    const after = await hintedCursor(ringDesc);
    const [hint] = hintsOf(after) as [number];
    const next = await rows<LegRow>(callsSql({ ...ringDesc, after }).page.text);
    // The next page's legs leave the window (ring 0, a new version): the window through the hint comes back short.
    const away = next.map((row) => latest.get(row.telephony_session_id) as CompletedLegRecord);
    await store(away.map((record) => ({ ...record, ringMs: 0, durationMs: record.talkMs + record.holdMs, version: record.version + 1 })));
    asked.length = 0;
    await expectPlain(ringDesc, after, 'page legs amended away');
    expect(asked, 'the window through the hint, then the plain query').toEqual(['calls_value_hinted', 'calls_widened']);
    // Legs added at the hint's value, inside its window: the window holds more than the page, still the range's first.
    const cursorValue = cursorParts(after)[2] as number;
    const added = Array.from({ length: 12 }, (_, i) =>
      leg({
        telephonySessionId: `s-vw-new-${i}`,
        extensionId: 'ext-1',
        startMs: first + i * 86_400_000,
        ringMs: i % 2 === 0 ? hint : cursorValue,
      }),
    );
    await store(added);
    asked.length = 0;
    let cursor: string | null = after;
    for (let page = 0; page < 3 && cursor !== null; page += 1) {
      const { page: got } = await expectPlain(ringDesc, cursor, `legs added, page ${page}`);
      cursor = got.pageInfo.hasNextPage ? got.pageInfo.endCursor : null;
    }
    expect(asked[0]).toBe('calls_value_hinted');
  }, 120_000);
});
