// Pure parts of the dashboard: formatting, threshold levels, the wallboard's fragment options, the KPI history as
// received and its sparklines' paths (the live board's store: dashboard-board.test.ts).
import { describe, expect, it } from 'vitest';
import { clockTime, duration, endpointText, percent, resultLabel, shortDuration, todayText, validZone } from '../src/format.js';
import { kpiChange } from '../src/history/kpi-change.js';
import { periodLabel, rangeLabel } from '../src/history/period-label.js';
import { BOX_H, sparkPaths } from '../src/sparkline-path.js';
import { applyHistory, liveHistory, seriesOf, todayHistory } from '../src/state/history.js';
import { level, worst } from '../src/thresholds.js';
import type { KpiHistory, LivePoint, TodayPoint } from '../src/types.js';
import { wallOptions } from '../src/views/wall-options.js';

describe('format', () => {
  it('durations as m:ss and h:mm:ss, never negative', () => {
    expect(duration(0)).toBe('0:00');
    expect(duration(7_900)).toBe('0:07');
    expect(duration(245_000)).toBe('4:05');
    expect(duration(3_723_000)).toBe('1:02:03');
    expect(duration(-5000)).toBe('0:00');
    expect(shortDuration(12_400)).toBe('12 s');
    expect(shortDuration(75_000)).toBe('1:15');
  });
  it('clock times in the chosen zone', () => {
    const at = Date.UTC(2026, 2, 2, 14, 5, 9);
    expect(clockTime(at, 'UTC')).toBe('14:05:09');
    expect(clockTime(at, 'Asia/Kolkata', false)).toBe('19:35');
  });
  it('results with their words spaced, one-word results as they are', () => {
    expect(resultLabel('AnsweredElsewhere')).toBe('Answered elsewhere');
    expect(resultLabel('Answered')).toBe('Answered');
    expect(resultLabel('Voicemail')).toBe('Voicemail');
  });

  it('percent, zones and endpoints', () => {
    expect(percent(0.834)).toBe('83%');
    expect(percent(null)).toBe('–');
    expect(validZone('europe/berlin')).toBe('Europe/Berlin');
    expect(validZone('Mars/Olympus')).toBe('UTC');
    expect(endpointText({ name: 'Dana', phoneNumber: '+1555' })).toBe('Dana · +1555');
    expect(endpointText({ name: null, phoneNumber: '+1555' })).toBe('+1555');
  });
  it("an agent's day in words", () => {
    expect(todayText(undefined)).toBe('Today: no calls yet');
    expect(todayText({ calls: 5, inbound: 4, outbound: 1, answered: 3, missed: 1, talkMs: 754_000 })).toBe(
      'Today: 5 calls (4 inbound, 1 outbound), 3 answered, 1 missed, 12:34 talking',
    );
  });
});

const MIN = 60_000;
const live = (atMs: number, over: Partial<LivePoint> = {}) =>
  ({
    at: new Date(atMs).toISOString(),
    agents: 10,
    idle: 5,
    ringing: 1,
    talking: 3,
    onHold: 1,
    voicemail: 0,
    activeCalls: 4,
    waiting: 2,
    longestWaitMs: 12_000,
    ...over,
  }) as LivePoint;
const today = (atMs: number, over: Partial<TodayPoint> = {}) =>
  ({
    at: new Date(atMs).toISOString(),
    offered: 10,
    answered: 8,
    missed: 1,
    abandoned: 1,
    serviceLevel: 0.7,
    averageSpeedOfAnswerMs: null,
    ...over,
  }) as TodayPoint;
const message = (over: Partial<KpiHistory>): KpiHistory => ({
  timeZone: 'UTC',
  snapshot: false,
  liveStepSeconds: 15,
  todayStepSeconds: 60,
  live: [],
  today: [],
  ...over,
});

describe('the KPI history', () => {
  it('the hour first, then new points appended once each, older than the hour dropped', () => {
    const t0 = Date.UTC(2026, 10, 30, 9);
    applyHistory(message({ snapshot: true, live: [live(t0), live(t0 + 15_000)], today: [today(t0)] }));
    expect(liveHistory.value.map((point) => point.atMs)).toEqual([t0, t0 + 15_000]);
    // A point received twice (a subscriber's first message and a publish crossing) is kept once.
    applyHistory(message({ live: [live(t0 + 15_000), live(t0 + 30_000)] }));
    expect(liveHistory.value.map((point) => point.atMs)).toEqual([t0, t0 + 15_000, t0 + 30_000]);
    applyHistory(message({ live: [live(t0 + 60 * MIN + 20_000)] }));
    expect(liveHistory.value.map((point) => point.atMs)).toEqual([t0 + 30_000, t0 + 60 * MIN + 20_000]);
    expect(todayHistory.value).toHaveLength(1);
    // A snapshot replaces everything (after a reconnect, a late call).
    applyHistory(message({ snapshot: true, live: [live(t0)], today: [] }));
    expect(liveHistory.value).toHaveLength(1);
    expect(todayHistory.value).toEqual([]);
  });

  it("each tile's series: on call is talking and on hold, per minute (the mean; the peak for waits), the service level in percent, no ASA while none answered", () => {
    const points = [live(0), live(15_000, { talking: 6, onHold: 2, waiting: 5 }), live(60_000, { waiting: 0 })].map((point) => ({
      ...point,
      atMs: Date.parse(point.at),
    }));
    const days = [{ ...today(0), atMs: 0 }];
    const steps = { live: 15, today: 60 };
    expect(seriesOf('onCall', points, days, steps)).toEqual({
      points: [
        [15_000, 6],
        [60_000, 4],
      ],
      stepS: 60,
    });
    expect(seriesOf('waiting', points, days, steps).points).toEqual([
      [15_000, 5],
      [60_000, 0],
    ]);
    expect(seriesOf('serviceLevel', points, days, steps).points).toEqual([[0, 70]]);
    expect(seriesOf('asa', points, days, steps)).toEqual({ points: [[0, null]], stepS: 60 });
  });

  it('sparkline paths: scaled to the hour and the values, broken at a gap, a zero line at the bottom', () => {
    const hour: Array<[number, number | null]> = [
      [0, 0],
      [15 * MIN, 10],
      [30 * MIN, 5],
      [45 * MIN, null],
      [60 * MIN, 10],
    ];
    const paths = sparkPaths(hour, 0, 60 * MIN, 900);
    expect(paths).toMatchObject({ min: 0, max: 10 });
    // Two runs: up to 30 min, and the last point alone (drawn as a short dash).
    expect(paths.line).toBe('M0,94L250,6L500,50M1000,6L996,6');
    expect(paths.area.startsWith(`M0,${BOX_H}L0,94`)).toBe(true);
    // Points farther apart than two and a half steps are not joined.
    expect(
      sparkPaths(
        [
          [0, 1],
          [40 * MIN, 2],
        ],
        0,
        60 * MIN,
        15,
      ).line.split('M'),
    ).toHaveLength(3);
    expect(
      sparkPaths(
        [
          [0, 0],
          [MIN, 0],
        ],
        0,
        MIN,
        60,
      ).line,
    ).toBe(`M0,${BOX_H - 6}L1000,${BOX_H - 6}`);
    expect(sparkPaths([], 0, MIN, 60)).toEqual({ line: '', area: '', min: null, max: null });
  });
});

describe('thresholds', () => {
  it('rising and falling limits', () => {
    expect(level(10, { warn: 15, alarm: 30 })).toBe('ok');
    expect(level(15, { warn: 15, alarm: 30 })).toBe('warn');
    expect(level(31, { warn: 15, alarm: 30 })).toBe('alarm');
    expect(level(null, { warn: 15, alarm: 30 })).toBe('ok');
    expect(level(85, { warn: 80, alarm: 60, lowIsBad: true })).toBe('ok');
    expect(level(75, { warn: 80, alarm: 60, lowIsBad: true })).toBe('warn');
    expect(level(50, { warn: 80, alarm: 60, lowIsBad: true })).toBe('alarm');
    expect(worst('ok', 'warn')).toBe('warn');
    expect(worst('warn', 'alarm', 'ok')).toBe('alarm');
  });
});

describe('wallboard options', () => {
  it('reads pages, queues and the period from the fragment', () => {
    expect(wallOptions('#/wall')).toEqual({ pages: ['kpis', 'queues', 'agents'], queues: undefined, everyS: 20 });
    expect(wallOptions('#/wall?pages=queues,bogus&queues=Sales, Support&every=10')).toEqual({
      pages: ['queues'],
      queues: ['Sales', 'Support'],
      everyS: 10,
    });
    expect(wallOptions('#/wall?pages=&every=1').pages).toEqual(['kpis']);
    expect(wallOptions('#/wall?every=1').everyS).toBe(20);
  });
});

describe('a key figure against the period before', () => {
  it('colours only the figures with a better direction, by that direction', () => {
    expect(kpiChange(120, 100, 'down')).toEqual({ text: '+20% vs previous', cls: 'delta-bad' });
    expect(kpiChange(80, 100, 'down')).toEqual({ text: '-20% vs previous', cls: 'delta-good' });
    expect(kpiChange(0.9, 0.75, 'up')).toEqual({ text: '+20% vs previous', cls: 'delta-good' });
    expect(kpiChange(120, 100, 'neither')).toEqual({ text: '+20% vs previous', cls: 'muted' });
    expect(kpiChange(100, 100, 'up')).toEqual({ text: '0% vs previous', cls: 'muted' });
  });

  it('says so when there is nothing to compare with', () => {
    expect(kpiChange(5, 0, 'down')).toEqual({ text: 'no previous figure', cls: 'muted' });
    expect(kpiChange(null, 10, 'up').text).toBe('no previous figure');
  });
});

describe('report period labels', () => {
  it('shows an hour and a day in the wall clock of the report zone, never the raw key', () => {
    expect(periodLabel('2026-03-02T14:00:00.000+01:00')).toBe('Mon 2 Mar, 14:00');
    expect(periodLabel('2026-11-30T00:00:00.000-05:00')).toBe('Mon 30 Nov, 00:00');
    expect(periodLabel('2026-12-31')).toBe('Thu 31 Dec');
    expect(periodLabel('not a period')).toBe('not a period');
  });

  it('says a report`s whole range: one day, days (to is the day after the last), across a year, times as given', () => {
    expect(rangeLabel('2026-12-02', '2026-12-03')).toBe('Wed 2 Dec 2026');
    expect(rangeLabel('2026-11-26', '2026-12-03')).toBe('Thu 26 Nov - Wed 2 Dec 2026');
    expect(rangeLabel('2025-12-30', '2026-01-02')).toBe('Tue 30 Dec 2025 - Thu 1 Jan 2026');
    expect(rangeLabel('2026-03-02T09:00', '2026-03-02T17:00')).toBe('2026-03-02T09:00 - 2026-03-02T17:00');
    expect(rangeLabel(undefined, '2026-03-02')).toBe('no range');
  });
});
