// Business hours: what an admin may set (each bad value named), who may read and set them, and the reports' and
// calls' switch INSIDE / OUTSIDE / ANY on the real servers, exact at the boundary (a leg at 08:59:59.999 local is
// outside a 09:00 opening, one at 09:00:00.000 inside), on the days daylight saving begins and ends, on holidays and
// in a half-hour zone; queueStats by the sessions' start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../test/support/env.js';
import { checkBusinessHours } from '../src/admin/business-hours.js';
import { InputError } from '../src/errors.js';
import { gql, type Json } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { leg, session } from './support/records.js';
import { storeRecords } from './support/stored-rows.js';

describe('checking business hours (pure)', () => {
  const nine = [{ from: '09:00', to: '17:00' }];

  it('keeps good hours canonical: the zone`s IANA name, intervals sorted, holidays sorted once', () => {
    const hours = checkBusinessHours(
      {
        timeZone: 'europe/berlin',
        monday: [
          { from: '13:00', to: '24:00' },
          { from: '08:00', to: '12:00' },
        ],
        friday: nine,
        holidays: ['2026-12-25', '2026-01-01', '2026-12-25'],
      },
      1000,
    );
    expect(hours).toEqual({
      timeZone: 'Europe/Berlin',
      week: {
        monday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '24:00' },
        ],
        tuesday: [],
        wednesday: [],
        thursday: [],
        friday: nine,
        saturday: [],
        sunday: [],
      },
      holidays: ['2026-01-01', '2026-12-25'],
      updatedAtMs: 1000,
    });
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      checkBusinessHours({
        timeZone: 'Mars/Olympus',
        monday: [{ from: '9:00', to: '17:00' }],
        tuesday: [
          { from: '09:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
        wednesday: [{ from: '18:00', to: '06:00' }],
        thursday: [{ from: '24:00', to: '24:00' }],
        friday: [{ from: '08:00', to: '24:01' }],
        holidays: ['2026-02-30', 'tomorrow'],
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    for (const part of [
      'timeZone: unknown time zone "Mars/Olympus"',
      'monday[0].from: "9:00" is not a time',
      'tuesday[1]: overlaps tuesday[0] (09:00-12:00)',
      'wednesday[0].to: "06:00" must be after from (18:00)',
      'thursday[0].from: "24:00" is not a time',
      'friday[0].to: "24:01" is not a time',
      'holidays[0]: "2026-02-30" is not a date',
      'holidays[1]: "tomorrow" is not a date',
    ]) {
      expect(message).toContain(part);
    }
    expect((error as InputError).argument).toBe('timeZone');
    expect(() => checkBusinessHours({ timeZone: 'UTC', sunday: Array.from({ length: 13 }, () => nine[0] as never) })).toThrow(
      /sunday: at most 12 intervals a day, got 13/,
    );
  });
});

const iso = isolation(uniqueName('api_hours'));
const ADMIN = 'hours-admin-key';
const VIEWER = 'hours-viewer-key';
let reporting: Started;
let api: Started;
const at = Date.parse;

/** Legs named by where their start falls; `true` = inside the hours set below. */
const starts: Array<[string, string, boolean]> = [
  // Sunday 2026-03-29, Europe/Berlin: clocks go from +01:00 to +02:00 at 02:00 local.
  ['dst-begins-0859', '2026-03-29T06:59:59.999Z', false],
  ['dst-begins-0900', '2026-03-29T07:00:00.000Z', true],
  ['dst-begins-1659', '2026-03-29T14:59:59.999Z', true],
  ['dst-begins-1700', '2026-03-29T15:00:00.000Z', false],
  // Saturday 2026-03-28, still +01:00.
  ['saturday-0859', '2026-03-28T07:59:59.999Z', false],
  ['saturday-0900', '2026-03-28T08:00:00.000Z', true],
  // Monday 2026-03-30 is a holiday.
  ['holiday-1000', '2026-03-30T08:00:00.000Z', false],
  // Tuesday 2026-03-31: the lunch break 12:00-13:00.
  ['tuesday-1159', '2026-03-31T09:59:59.999Z', true],
  ['tuesday-1200', '2026-03-31T10:00:00.000Z', false],
  ['tuesday-1300', '2026-03-31T11:00:00.000Z', true],
  // Sunday 2026-10-25: clocks go back from +02:00 to +01:00 at 03:00 local.
  ['dst-ends-0859', '2026-10-25T07:59:59.999Z', false],
  ['dst-ends-0900', '2026-10-25T08:00:00.000Z', true],
];
const legs = starts.map(([name, start], i) =>
  leg({
    telephonySessionId: `s-${name}`,
    extensionId: `ext-${i % 3}`,
    startMs: at(start),
    queueId: 'q-1',
    queueName: 'Front desk',
    talkMs: 30000,
  }),
);
const sessions = starts.map(([name, start]) =>
  session({ telephonySessionId: `s-${name}`, startMs: at(start), queueId: 'q-1', queueName: 'Front desk' }),
);
const inside = starts.filter(([, , yes]) => yes).map(([name]) => `s-${name}`);
const outside = starts.filter(([, , yes]) => !yes).map(([name]) => `s-${name}`);
const range = { from: '2026-03-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
const open = [{ from: '09:00', to: '17:00' }];
const hoursInput = {
  timeZone: 'Europe/Berlin',
  monday: open,
  tuesday: [
    { from: '09:00', to: '12:00' },
    { from: '13:00', to: '17:00' },
  ],
  wednesday: open,
  thursday: open,
  friday: open,
  saturday: open,
  sunday: open,
  holidays: ['2026-03-30'],
};

beforeAll(async () => {
  reporting = await startService('reporting', iso); // the tables
  await storeRecords(iso.name, [...legs, ...sessions]);
  api = await startService('api', iso, { API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`, API_MAX_RANGE_DAYS: '366' });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  await cleanUp(iso);
});

const ask = (query: string, variables: Record<string, unknown> = {}, key = VIEWER) => gql(api.url, query, { key, variables });
const setHours = `mutation($h: BusinessHoursInput!) { setBusinessHours(hours: $h) { timeZone monday { from to } tuesday { from to } holidays updatedAt } }`;

async function sessionsOf(businessHours: string): Promise<string[]> {
  const result = await ask('query($f: CallFilter) { calls(filter: $f, first: 100) { totalCount edges { node { telephonySessionId } } } }', {
    f: { ...range, businessHours },
  });
  expect(result.errors).toBeUndefined();
  expect(result.data?.calls.totalCount).toBe(result.data?.calls.edges.length);
  return result.data?.calls.edges.map((edge: Json) => edge.node.telephonySessionId).sort();
}

describe('business hours on the real servers', () => {
  it('are null until set; INSIDE then is a bad input naming businessHours', async () => {
    expect((await ask('{ businessHours { timeZone } }')).data).toEqual({ businessHours: null });
    const result = await ask('query($f: CallFilter) { calls(filter: $f) { totalCount } }', { f: { ...range, businessHours: 'INSIDE' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'businessHours' });
    expect(result.errors?.[0]?.message).toMatch(/none are set/);
  });

  it('are set by an admin only, every bad value named; viewers read them', async () => {
    const byViewer = await ask(setHours, { h: hoursInput });
    expect(byViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await ask(setHours, { h: { ...hoursInput, timeZone: 'Nowhere/Land', friday: [{ from: '17:00', to: '09:00' }] } }, ADMIN);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'timeZone' });
    expect(bad.errors?.[0]?.message).toMatch(/timeZone: unknown time zone "Nowhere\/Land".*friday\[0\]\.to: "09:00" must be after from/);
    const set = await ask(setHours, { h: hoursInput }, ADMIN);
    expect(set.errors).toBeUndefined();
    expect(set.data?.setBusinessHours).toMatchObject({ timeZone: 'Europe/Berlin', monday: open, holidays: ['2026-03-30'] });
    const read = await ask('{ businessHours { timeZone sunday { from to } tuesday { from to } holidays } }');
    expect(read.data?.businessHours).toEqual({
      timeZone: 'Europe/Berlin',
      sunday: open,
      tuesday: hoursInput.tuesday,
      holidays: ['2026-03-30'],
    });
  });

  it('split calls exactly at the boundaries, on both daylight-saving days, holidays and breaks', async () => {
    expect(await sessionsOf('INSIDE')).toEqual([...inside].sort());
    expect(await sessionsOf('OUTSIDE')).toEqual([...outside].sort());
    expect(await sessionsOf('ANY')).toHaveLength(starts.length);
  });

  it('switch every report: callStats (both sources), hourlyDensity, queueStats and the reports page`s queries', async () => {
    const counts = async (businessHours: string) => {
      const result = await ask(
        `query($f: CallFilter, $b: BusinessHoursMode) {
          stats: callStats(from: "${range.from}", to: "${range.to}", groupBy: DIRECTION, businessHours: $b) { calls }
          density: hourlyDensity(filter: $f) { calls }
          queues: queueStats(from: "${range.from}", to: "${range.to}", businessHours: $b) { offered }
          kpis: reportKpis(filter: $f) { current { calls } }
        }`,
        { f: { ...range, businessHours }, b: businessHours },
      );
      expect(result.errors).toBeUndefined();
      const more = await ask(
        `query($f: CallFilter) {
          volume: callVolume(filter: $f, interval: DAY) { calls }
          heatmap: weekdayHourHeatmap(filter: $f) { calls }
          agents: agentLeaderboard(filter: $f) { calls }
        }`,
        { f: { ...range, businessHours } },
      );
      expect(more.errors).toBeUndefined();
      // durationStats runs two queries: a request of its own.
      const durations = await ask('query($f: CallFilter) { durations: durationStats(filter: $f) { calls } }', {
        f: { ...range, businessHours },
      });
      expect(durations.errors).toBeUndefined();
      const sum = (rows: Json[], field: string) => rows.reduce((total, row) => total + row[field], 0);
      const data = { ...result.data, ...more.data, ...durations.data } as Json;
      return [
        sum(data.stats, 'calls'),
        sum(data.density, 'calls'),
        sum(data.queues, 'offered'),
        data.kpis.current.calls,
        sum(data.volume, 'calls'),
        sum(data.heatmap, 'calls'),
        data.durations.calls,
        sum(data.agents, 'calls'),
      ];
    };
    expect(await counts('INSIDE')).toEqual(Array(8).fill(inside.length));
    expect(await counts('OUTSIDE')).toEqual(Array(8).fill(outside.length));
    expect(await counts('ANY')).toEqual(Array(8).fill(starts.length));
  });

  it('read a half-hour zone to the millisecond (Asia/Kolkata, +05:30)', async () => {
    const set = await ask(setHours, { h: { timeZone: 'Asia/Kolkata', saturday: [{ from: '13:30', to: '13:31' }] } }, ADMIN);
    expect(set.errors).toBeUndefined();
    // Saturday 2026-03-28 08:00:00.000Z is 13:30 in Kolkata: the one leg inside.
    expect(await sessionsOf('INSIDE')).toEqual(['s-saturday-0900']);
    const cleared = await ask('mutation { clearBusinessHours }', {}, ADMIN);
    expect(cleared.data).toEqual({ clearBusinessHours: true });
    expect((await ask('{ businessHours { timeZone } }')).data).toEqual({ businessHours: null });
  });
});
