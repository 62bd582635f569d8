// GET /export/calls.csv on the real servers: the CSV of a filtered range holds exactly the rows `calls` pages through
// for the same filter and order (same figures; times in the chosen zone, durations in seconds), with a header row,
// RFC 4180 quoting and CSV-injection safety; the key only in the Authorization header (none: 401, in the URL: 400);
// a bad filter is a 400 naming it; the export holds one of its caller's ClickHouse slots while it streams, and a
// client that goes away gives it back. And the pure parts: fields, lines, zone offsets.
import { redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../test/support/env.js';
import { csvField, csvHeader, ZoneClock } from '../src/history/call-csv.js';
import { exportRequest } from '../src/http/export-params.js';
import { gql, type Json } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { leg } from './support/records.js';
import { storeRecords } from './support/stored-rows.js';

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and line breaks; anything else is refused). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field, record ${rows.length + 1}`);
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (char === '\r' || char === '\n') throw new Error(`a line break outside quotes, record ${rows.length + 1}`);
    else field += char;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

describe('CSV fields, lines and zones (pure)', () => {
  it('quotes what RFC 4180 needs, doubles quotes, neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvField(`${start}1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(csvHeader()).toMatch(/^Start,Answered at,Ended at,Extension ID,Extension,Agent,.*,Party ID\r\n$/);
  });

  it('gives times in the zone with their offset, across daylight saving and in half-hour zones', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    expect(berlin.iso('2026-03-29T00:59:59.999Z')).toBe('2026-03-29T01:59:59.999+01:00');
    expect(berlin.iso('2026-03-29T01:00:00.000Z')).toBe('2026-03-29T03:00:00.000+02:00');
    expect(berlin.iso(null)).toBeNull();
    expect(new ZoneClock('Asia/Kolkata').iso('2026-03-02T08:00:00.000Z')).toBe('2026-03-02T13:30:00.000+05:30');
    expect(new ZoneClock('America/St_Johns').iso('2026-03-02T12:00:00.000Z')).toBe('2026-03-02T08:30:00.000-03:30');
  });

  it('reads the query string: lists repeated or comma-separated, every bad value named, no key in the URL', () => {
    expect(exportRequest({ extensionIds: ['1,2', '3'], result: 'Missed', minTalkMs: '1500', answered: 'true', orderBy: 'TALK' })).toEqual({
      filter: { extensionIds: ['1', '2', '3'], result: ['Missed'], minTalkMs: 1500, answered: true },
      order: { field: 'TALK', direction: 'DESC' },
    });
    const argument = (raw: Record<string, string | string[]>) => {
      try {
        exportRequest(raw);
      } catch (err) {
        return [(err as { argument?: string }).argument, (err as Error).message];
      }
      return undefined;
    };
    expect(argument({ key: 'secret' })).toEqual(['key', expect.stringMatching(/Authorization header/)]);
    expect(argument({ access_token: 'secret' })?.[0]).toBe('access_token');
    expect(argument({ colour: 'red' })).toEqual(['colour', expect.stringMatching(/unknown parameter "colour"/)]);
    expect(argument({ minTalkMs: 'ten' })).toEqual(['minTalkMs', expect.stringMatching(/minTalkMs must be a number/)]);
    expect(argument({ direction: 'Sideways' })?.[0]).toBe('direction');
    expect(argument({ result: 'Missed,Lost' })?.[0]).toBe('result');
    expect(argument({ from: ['2026-03-01', '2026-03-02'] })).toEqual(['from', 'from may be given once, got 2 values']);
    expect(argument({ orderDirection: 'UP' })?.[0]).toBe('orderDirection');
  });
});

const iso = isolation(uniqueName('api_export'));
const KEY = 'export-viewer-key';
const at = Date.parse;
const tricky = [
  'Müller, Anna', // a comma (and UTF-8)
  'The "Boss"', // quotes
  'two\nlines', // a line break
  '=cmd|/C calc!A0', // a formula
  '@SUM(1)',
  '-2+3',
];
const special = tricky.map((name, i) =>
  leg({
    telephonySessionId: `s-x${i}`,
    extensionId: 'ext-1',
    startMs: at('2026-03-29T00:30:00Z') + i * 3_600_000, // across Berlin's switch to summer time
    fromName: name,
    fromNumber: '+15550100' + i,
    talkMs: 60_000 + i * 1001,
    holdMs: i * 7,
    answerMs: at('2026-03-29T00:30:00Z') + i * 3_600_000 + 4000,
  }),
);
// Many legs of another extension, so an export streams far more than the sockets hold.
const BULK = 60_000;
const bulk = Array.from({ length: BULK }, (_, i) =>
  leg({ telephonySessionId: `s-b${i}`, extensionId: 'ext-bulk', startMs: at('2026-03-28T00:00:00Z') + i * 1000, talkMs: i % 90_000 }),
);
const amended = leg({ telephonySessionId: 's-x0', extensionId: 'ext-1', startMs: special[0]?.startMs ?? 0, talkMs: 5 });

let reporting: Started;
let api: Started;

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  // s-x0's version 1 is amended by version 2 (special[0] with version 2).
  await storeRecords(
    iso.name,
    [amended, ...special.map((record, i) => (i === 0 ? { ...record, version: 2 } : record)), ...bulk],
    [amended],
  );
  const redis = createRedis(redisUrl);
  await redis.hset(
    redisKeys(iso.env.REDIS_KEY_PREFIX).extensions,
    'ext-1',
    JSON.stringify({ id: 'ext-1', extensionNumber: '101', name: '+Reception, front', type: 'User', status: 'Enabled' }),
  );
  redis.disconnect();
  api = await startService('api', iso, {
    API_KEYS: `viewer:${KEY}`,
    API_CLICKHOUSE_CONCURRENCY_PER_KEY: '1',
    API_CLICKHOUSE_QUEUE_TIMEOUT_MS: '1500',
  });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  await cleanUp(iso);
});

const exportUrl = (params: Record<string, string>) => `${api.url}/export/calls.csv?${new URLSearchParams(params)}`;
const get = (params: Record<string, string>, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }, signal?: AbortSignal) =>
  fetch(exportUrl(params), { headers, signal });

describe('GET /export/calls.csv', () => {
  it('holds exactly the rows calls pages through for the same filter and order, with the same figures', async () => {
    const filter = {
      from: '2026-03-28T22:00:00Z',
      to: '2026-03-29T23:00:00Z',
      timeZone: 'Europe/Berlin',
      extensionIds: ['ext-1'],
      minTalkMs: 60_000,
    };
    const response = await get({ ...filter, extensionIds: 'ext-1', minTalkMs: '60000', orderBy: 'TALK', orderDirection: 'ASC' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="calls-2026-03-28-2026-03-30.csv"');
    const [header, ...rows] = parseCsv(await response.text());
    expect(header?.join(',')).toBe(csvHeader().trimEnd());
    const nodes: Json[] = [];
    let after: string | null = null;
    do {
      const page: Json = await gql(
        api.url,
        `query($f: CallFilter, $a: String) { calls(filter: $f, first: 2, after: $a, orderBy: { field: TALK, direction: ASC }) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { telephonySessionId partyId extensionId direction result
          endReason endedBy endedDuringHold startTime answerTime endTime ringMs talkMs holdMs holdCount durationMs queueId queueName
          recorded from { phoneNumber name } to { phoneNumber name } } } } }`,
        { key: KEY, variables: { f: filter, a: after } },
      );
      expect(page.errors).toBeUndefined();
      nodes.push(...page.data.calls.edges.map((edge: Json) => edge.node));
      after = page.data.calls.pageInfo.hasNextPage ? page.data.calls.pageInfo.endCursor : null;
    } while (after !== null);
    expect(nodes).toHaveLength(tricky.length); // s-x0 once: its version 1 (5 ms of talk) was amended
    expect(rows).toHaveLength(nodes.length);
    const column = (name: string) => (header ?? []).indexOf(name);
    const text = (value: string | null) => (value === null ? '' : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    rows.forEach((row, i) => {
      const node = nodes[i];
      const cell = (name: string) => row[column(name)];
      expect(cell('Telephony session ID')).toBe(node.telephonySessionId);
      expect(cell('Party ID')).toBe(node.partyId);
      expect(Date.parse(cell('Start') ?? '')).toBe(Date.parse(node.startTime));
      expect(Date.parse(cell('Answered at') ?? '')).toBe(Date.parse(node.answerTime));
      expect(Date.parse(cell('Ended at') ?? '')).toBe(Date.parse(node.endTime));
      expect(Math.round(Number(cell('Talk (s)')) * 1000)).toBe(node.talkMs);
      expect(Math.round(Number(cell('Ring (s)')) * 1000)).toBe(node.ringMs);
      expect(Math.round(Number(cell('Hold (s)')) * 1000)).toBe(node.holdMs);
      expect(Math.round(Number(cell('Duration (s)')) * 1000)).toBe(node.durationMs);
      expect(cell('Holds')).toBe(String(node.holdCount));
      expect(cell('Direction')).toBe(node.direction);
      expect(cell('Result')).toBe(node.result);
      expect(cell('Ended by')).toBe(node.endedBy);
      expect(cell('From name')).toBe(text(node.from.name));
      expect(cell('From number')).toBe(text(node.from.phoneNumber));
      expect(cell('Extension')).toBe('101');
      expect(cell('Agent')).toBe("'+Reception, front");
    });
    // Times in the chosen zone: before and after Berlin's clocks went forward.
    const starts = rows.map((row) => row[column('Start')]);
    expect(starts).toContain('2026-03-29T01:30:00.000+01:00');
    expect(starts).toContain('2026-03-29T04:30:00.000+02:00');
    // The tricky names came through whole: commas, quotes, a line break, formulas neutralised.
    expect(rows.map((row) => row[column('From name')]).sort()).toEqual(tricky.map(text).sort());
  });

  it('refuses without a key (401), with the key in the URL (400), and names a bad filter (400)', async () => {
    const none = await get({ from: '2026-03-28' }, {});
    expect(none.status).toBe(401);
    expect((await none.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await get({ from: '2026-03-28' }, { authorization: 'Bearer wrong' })).status).toBe(401);
    const inUrl = await get({ key: KEY });
    expect(inUrl.status).toBe(400);
    expect((await inUrl.json()).errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'key' } });
    for (const [params, argument, message] of [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone', /unknown time zone "Mars\/Olympus"/],
      [{ from: 'yesterday' }, 'from', /from is not an ISO-8601 date or time/],
      [{ from: '2026-03-02', to: '2026-03-01' }, 'from', /must be before to/],
      [{ minTalkMs: '-5' }, 'minTalkMs', /minTalkMs must be a number/],
      [{ weekdays: '8' }, 'weekdays', /weekdays must hold whole numbers from 1 to 7, got 8/],
      [{ businessHours: 'INSIDE' }, 'businessHours', /none are set/],
      [{ orderBy: 'NAME' }, 'orderBy', /orderBy must be one of START, DURATION, RING, TALK, HOLD/],
    ] as const) {
      const response = await get(params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      const body = await response.json();
      expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(body.errors[0].message).toMatch(message);
    }
  });

  it(`streams ${BULK.toLocaleString('en')} rows in order, holding one of the caller's ClickHouse slots until it ends or the client leaves`, async () => {
    const range = {
      from: '2026-03-28T00:00:00Z',
      to: '2026-03-29T00:00:00Z',
      extensionIds: 'ext-bulk',
      orderBy: 'START',
      orderDirection: 'ASC',
    };
    const whole = await get(range);
    expect(whole.status).toBe(200);
    const lines = (await whole.text()).split('\r\n');
    expect(lines).toHaveLength(BULK + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[1]).toMatch(/^2026-03-28T00:00:00\.000\+00:00,/); // no timeZone: UTC
    expect(lines[BULK]).toMatch(/^2026-03-28T16:39:59\.000\+00:00,/);
    // A client that stops reading: the export keeps its slot (this key has one), so a GraphQL query of the same key
    // waits and is refused; once the client goes away, the slot is free again.
    const controller = new AbortController();
    const stalled = await get(range, undefined, controller.signal);
    expect(stalled.status).toBe(200);
    const refused = await gql(api.url, '{ calls(first: 1) { edges { cursor } } }', { key: KEY });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    controller.abort();
    await expect(stalled.text()).rejects.toThrow();
    let answered: Json;
    for (let attempt = 0; attempt < 20; attempt++) {
      answered = await gql(api.url, '{ calls(first: 1) { edges { cursor } } }', { key: KEY });
      if (!answered.errors) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(answered.errors).toBeUndefined();
  });
});
