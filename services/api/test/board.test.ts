// The live board's pure rules: an agent's state, time in state and idle-since from their legs; each queue's waiting
// calls, longest wait and free agents; local midnight of "today".
import { liveLeg } from '@callpulse/testkit/records';
import { describe, expect, it } from 'vitest';
import { localMidnight } from '../src/history/today-stats.js';
import { agentFromLegs, queueFigures } from '../src/live/agent-board.js';

/** A live leg of extension 101, ringing since 1000 (testkit's made-up one). */
const leg = liveLeg;

describe('agentFromLegs', () => {
  it('an agent without legs is idle since the end of the last call, or since an unknown time', () => {
    expect(agentFromLegs('101', { extensionNumber: '101', name: 'Dana' }, [], 3, 5000)).toMatchObject({
      state: 'idle',
      sinceMs: 5000,
      idleSinceMs: 5000,
      call: null,
      name: 'Dana',
      version: 3,
    });
    expect(agentFromLegs('102', undefined, [], 0, null)).toMatchObject({ state: 'idle', sinceMs: null, name: null });
  });

  it('the busiest leg sets the state and the time in state; ended legs do not count', () => {
    const ringing = leg({ telephonySessionId: 's-2', status: 'Ringing', statusSinceMs: 9000, startMs: 9000 });
    const talking = leg({ telephonySessionId: 's-1', status: 'Talking', statusSinceMs: 4000, answerMs: 4000 });
    const ended = leg({ telephonySessionId: 's-0', status: 'Ended', ended: true, startMs: 10 });
    const agent = agentFromLegs('101', undefined, [ringing, talking, ended], 7, 100);
    expect(agent.state).toBe('talking');
    expect(agent.sinceMs).toBe(4000);
    expect(agent.call?.telephonySessionId).toBe('s-1');
    expect(agent.legs.map((l) => l.telephonySessionId)).toEqual(['s-1', 's-2']);
    expect(agentFromLegs('101', undefined, [leg({ status: 'OnHold' }), ringing], 1, null).state).toBe('onHold');
    expect(agentFromLegs('101', undefined, [leg({ status: 'Parked' })], 1, 50).state).toBe('idle');
  });
});

describe('queueFigures', () => {
  it('counts calls ringing a queue that nobody answered, with the oldest start, and the known agents free', () => {
    const sales = { queueId: 'q-sales', queueName: 'Sales' };
    const a = agentFromLegs('101', undefined, [leg({ ...sales, telephonySessionId: 's-1', startMs: 2000, ringStartMs: 2000 })], 1, null);
    const b = agentFromLegs(
      '102',
      undefined,
      [leg({ ...sales, extensionId: '102', telephonySessionId: 's-1', startMs: 1500, ringStartMs: 1500 })],
      1,
      null,
    );
    const c = agentFromLegs(
      '103',
      undefined,
      [leg({ ...sales, extensionId: '103', telephonySessionId: 's-2', status: 'Talking', answerMs: 3000 })],
      1,
      null,
    );
    // s-3 rings 104 in the queue, but 105 answered it already: it does not wait any more.
    const d = agentFromLegs(
      '104',
      undefined,
      [leg({ ...sales, extensionId: '104', telephonySessionId: 's-3', startMs: 100, ringStartMs: 100 })],
      1,
      null,
    );
    const e = agentFromLegs(
      '105',
      undefined,
      [leg({ ...sales, extensionId: '105', telephonySessionId: 's-3', status: 'Talking', answerMs: 900 })],
      1,
      null,
    );
    const idle = agentFromLegs('106', undefined, [], 1, null);
    const known = new Map([
      ['q-sales', { name: 'Sales', members: new Set(['101', '103', '106', 'not-monitored']) }],
      ['q-support', { name: 'Support', members: new Set(['106']) }],
    ]);
    expect(queueFigures([a, b, c, d, e, idle], known)).toEqual([
      { queueId: 'q-sales', queueName: 'Sales', waiting: 1, oldestWaitStartMs: 1500, agentsFree: 1, agentsBusy: 2, agentsKnown: 3 },
      { queueId: 'q-support', queueName: 'Support', waiting: 0, oldestWaitStartMs: null, agentsFree: 1, agentsBusy: 0, agentsKnown: 1 },
    ]);
  });
});

describe('localMidnight', () => {
  it('is the start of the local day in the zone', () => {
    const at = Date.UTC(2026, 2, 2, 3, 0, 0); // 03:00 UTC = 22:00 the day before in New York
    expect(new Date(localMidnight(at, 'UTC')).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(new Date(localMidnight(at, 'America/New_York')).toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(new Date(localMidnight(at, 'Asia/Kolkata')).toISOString()).toBe('2026-03-01T18:30:00.000Z');
  });
});
