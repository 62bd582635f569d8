import { describe, expect, it } from 'vitest';
import { interleave, SessionSpread } from './interleave.js';

describe('interleave', () => {
  it('gives every event once, each call in its own order, over the calls in progress', () => {
    const calls = [['a1', 'a2', 'a3'], ['b1'], ['c1', 'c2'], ['d1', 'd2']];
    const order = [...interleave(calls, 2)];
    // Round 1: a1 b1 (b is done: c takes its slot); round 2: a2 c1; round 3: a3 c2 (a done: d in); round 4: d1; d2.
    expect(order).toEqual(['a1', 'b1', 'a2', 'c1', 'a3', 'c2', 'd1', 'd2']);
    for (const call of calls) {
      const positions = call.map((event) => order.indexOf(event));
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
  });

  it('puts the events of one call about `slots` events apart', () => {
    const calls = Array.from({ length: 1000 }, (_unused, call) => Array.from({ length: 10 }, (_u, event) => `${call}:${event}`));
    const order = [...interleave(calls, 100)];
    expect(order).toHaveLength(10000);
    const spread = new SessionSpread();
    for (let call = 0; call < 1000; call++) spread.expect(String(call), 10);
    for (const event of order) spread.see(event.split(':')[0] as string);
    const summary = spread.summary();
    expect(summary.sessions).toBe(1000);
    expect(summary.peakActiveSessions).toBe(100);
    expect(summary.meanEventsApart).toBeCloseTo(100, 0);
    expect(summary.meanActiveSessions).toBeGreaterThan(90);
  });

  it('skips empty calls and refuses a slot count that is not a positive integer', () => {
    expect([...interleave([[], ['x'], []], 3)]).toEqual(['x']);
    expect(() => [...interleave([['x']], 0)]).toThrow(/positive integer/);
  });
});

describe('SessionSpread', () => {
  it('counts active sessions per event and how far apart a session is', () => {
    const spread = new SessionSpread();
    spread.expect('s1', 2);
    spread.expect('s2', 1);
    for (const session of ['s1', 's2', 's1']) spread.see(session);
    // Active when each event is produced: 1 (s1), 2 (s1, s2; s2 ends), 1 (s1; ends).
    expect(spread.summary()).toEqual({ sessions: 2, events: 3, meanActiveSessions: 4 / 3, peakActiveSessions: 2, meanEventsApart: 2 });
  });
});
