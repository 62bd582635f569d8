// The KPI history's pure rules: a live point from the board, the hour's window and instants, today's figures at each
// minute from per-minute counts (across local midnight), and the live points rebuilt from the calls.
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { liveLeg } from '@callpulse/testkit/records';
import { describe, expect, it } from 'vitest';
import { localMidnight } from '../src/history/today-stats.js';
import { type AgentLive, agentFromLegs } from '../src/live/agent-board.js';
import { backfillPoints } from '../src/live/backfill-points.js';
import { type EndedMinute, livePointOf, sameWhereBoth, stepsUpTo, todayPointsOf, withinWindow } from '../src/live/kpi-points.js';

/** A live leg of extension 101, ringing since 1000 (testkit's made-up one). */
const leg = liveLeg;

const agent = (id: string, legs: LiveLegSnapshot[]): AgentLive =>
  agentFromLegs(
    id,
    undefined,
    legs.map((one) => ({ ...one, extensionId: id })),
    1,
    null,
  );

describe('livePointOf', () => {
  it('counts agents by state, distinct calls and the queues waiting, the longest wait at the instant', () => {
    const agents = [
      agent('1', []),
      agent('2', [leg({ telephonySessionId: 's-a', status: 'Talking', answerMs: 2000 })]),
      agent('3', [leg({ telephonySessionId: 's-a', status: 'OnHold', answerMs: 2000 })]),
      agent('4', [leg({ telephonySessionId: 's-b', status: 'Ringing' })]),
    ];
    const queues = [
      { queueId: 'q1', queueName: 'Sales', waiting: 2, oldestWaitStartMs: 40_000, agentsFree: 1, agentsBusy: 1, agentsKnown: 2 },
      { queueId: 'q2', queueName: 'Support', waiting: 1, oldestWaitStartMs: 55_000, agentsFree: 0, agentsBusy: 1, agentsKnown: 1 },
      { queueId: 'q3', queueName: 'Billing', waiting: 0, oldestWaitStartMs: null, agentsFree: 1, agentsBusy: 0, agentsKnown: 1 },
    ];
    expect(livePointOf(agents, queues, 60_000)).toEqual({
      atMs: 60_000,
      agents: 4,
      idle: 1,
      ringing: 1,
      talking: 1,
      onHold: 1,
      voicemail: 0,
      activeCalls: 2,
      waiting: 3,
      longestWaitMs: 20_000,
    });
  });
});

describe('the window and its instants', () => {
  it('keeps the points of the last hour, both ends included', () => {
    const points = [0, 1, 2, 3].map((minutes) => ({ atMs: minutes * 30 * 60_000 }));
    expect(withinWindow(points, 90 * 60_000).map((point) => point.atMs / 60_000)).toEqual([30, 60, 90]);
    expect(withinWindow(points, 10 * 3600_000)).toEqual([]);
  });

  it('lists the whole steps of the hour up to now', () => {
    const now = 10 * 3600_000 + 59_000;
    const minutes = stepsUpTo(now, 60_000);
    expect(minutes).toHaveLength(60);
    expect(minutes[0]).toBe(9 * 3600_000 + 60_000);
    expect(minutes.at(-1)).toBe(10 * 3600_000);
    expect(stepsUpTo(10 * 3600_000, 15_000)).toHaveLength(241);
  });
});

describe('todayPointsOf', () => {
  const minute = (m: number, over: Partial<EndedMinute> = {}): EndedMinute => ({
    minute: m,
    today: true,
    offered: 0,
    answered: 0,
    abandoned: 0,
    withinServiceLevel: 0,
    answeredWaitMs: 0,
    ...over,
  });

  it('sums the calls that ended before each instant: offered, answered, missed, abandoned, service level, ASA', () => {
    const rows = [
      minute(99, { offered: 3, answered: 2, abandoned: 1, withinServiceLevel: 2, answeredWaitMs: 20_000 }), // before the hour
      minute(101, { offered: 2, answered: 1, withinServiceLevel: 0, answeredWaitMs: 40_000 }),
    ];
    const points = todayPointsOf(rows, [100 * 60_000, 101 * 60_000, 102 * 60_000], 0);
    expect(points.map((point) => [point.offered, point.answered, point.missed, point.abandoned])).toEqual([
      [3, 2, 0, 1],
      [3, 2, 0, 1],
      [5, 3, 1, 1],
    ]);
    expect(points[0]).toMatchObject({ serviceLevel: 2 / 3, averageSpeedOfAnswerMs: 10_000 });
    expect(points[2]).toMatchObject({ serviceLevel: 2 / 5, averageSpeedOfAnswerMs: 20_000 });
  });

  it('nothing offered or answered yet: no service level and no ASA (not 0)', () => {
    expect(todayPointsOf([], [60_000], 0)[0]).toEqual({
      atMs: 60_000,
      offered: 0,
      answered: 0,
      missed: 0,
      abandoned: 0,
      serviceLevel: null,
      averageSpeedOfAnswerMs: null,
    });
  });

  it('across local midnight: instants before it count the previous day, from midnight on only the new day', () => {
    const zone = 'Europe/Berlin';
    const midnight = localMidnight(Date.UTC(2026, 10, 30, 12), zone); // 2026-11-30 00:00 in Berlin
    const m = midnight / 60_000;
    const rows = [
      minute(m - 10, { today: false, offered: 7, answered: 7, withinServiceLevel: 7, answeredWaitMs: 7000 }),
      minute(m + 1, { today: false, offered: 1, answered: 1, withinServiceLevel: 1, answeredWaitMs: 1000 }), // started before midnight
      minute(m + 1, { today: true, offered: 2, answered: 0, abandoned: 2 }),
    ];
    const points = todayPointsOf(rows, [midnight - 60_000, midnight, midnight + 60_000, midnight + 120_000], midnight);
    expect(points.map((point) => point.offered)).toEqual([7, 0, 0, 2]);
    expect(points[3]).toMatchObject({ abandoned: 2, serviceLevel: 0, averageSpeedOfAnswerMs: null });
  });

  it('tells whether a re-read changed an instant already sent', () => {
    const a = todayPointsOf([minute(1, { offered: 1 })], [60_000, 120_000], 0);
    const b = todayPointsOf([minute(1, { offered: 1 })], [120_000, 180_000], 0);
    const c = todayPointsOf([minute(1, { offered: 2 })], [120_000, 180_000], 0);
    expect(sameWhereBoth(a, b)).toBe(true);
    expect(sameWhereBoth(a, c)).toBe(false);
  });
});

describe('backfillPoints', () => {
  it('adds the legs in progress to what the completed calls say, by the busiest leg of each agent', () => {
    const agents = [
      agent('1', []),
      agent('2', []),
      // Rang for a queue from 100 s, answered at 130 s.
      agent('3', [
        leg({ telephonySessionId: 's-q', queueId: 'q1', startMs: 100_000, ringStartMs: 100_000, answerMs: 130_000, status: 'Talking' }),
      ]),
      // Rings for a queue since 110 s, nobody answered yet.
      agent('4', [leg({ telephonySessionId: 's-w', queueId: 'q1', startMs: 110_000, ringStartMs: 110_000, status: 'Ringing' })]),
    ];
    const completed = [{ atMs: 120_000, talking: 1, ringingOrTalking: 1, busy: 2, calls: 2, waiting: 1, longestWaitMs: 50_000 }];
    const [before, at120, at140] = backfillPoints([90_000, 120_000, 140_000], completed, agents);
    expect(before).toMatchObject({ agents: 4, idle: 4, talking: 0, ringing: 0, activeCalls: 0, waiting: 0, longestWaitMs: 0 });
    // At 120 s: one completed leg talking, one in voicemail; agents 3 and 4 ring (two queue calls waiting, since 100 s).
    expect(at120).toMatchObject({
      idle: 0,
      talking: 1,
      ringing: 2,
      voicemail: 1,
      onHold: 0,
      activeCalls: 4,
      waiting: 3,
      longestWaitMs: 50_000,
    });
    // At 140 s: agent 3 talks, agent 4 still rings (waiting 30 s).
    expect(at140).toMatchObject({ idle: 2, talking: 1, ringing: 1, activeCalls: 2, waiting: 1, longestWaitMs: 30_000 });
  });

  it('never counts more busy agents than agents', () => {
    const agents = [agent('1', [leg({ status: 'Talking', answerMs: 1000 })])];
    const [point] = backfillPoints(
      [5000],
      [{ atMs: 5000, talking: 1, ringingOrTalking: 1, busy: 1, calls: 1, waiting: 0, longestWaitMs: 0 }],
      agents,
    );
    expect(point).toMatchObject({ agents: 1, idle: 0, talking: 1, ringing: 0, voicemail: 0 });
  });
});
