// npm start's restart decisions: exponential backoff from 1 s to 30 s, reset after a stable minute, no restart on 78.
import { describe, expect, it } from 'vitest';
import { decideOnExit, describeExit, freshRestarts, restartPolicy } from '../scripts/supervise/policy.mjs';

const crash = (ranMs = 500) => ({ code: 70, signal: null, ranMs });

function delaysOf(exits: { code: number | null; signal: string | null; ranMs: number }[]) {
  let state = freshRestarts();
  return exits.map((exit) => {
    const decision = decideOnExit(state, exit);
    if (decision.action !== 'restart') return decision.action;
    state = decision.state;
    return decision.delayMs;
  });
}

describe('restart decisions', () => {
  it('double the delay from 1 s up to 30 s', () => {
    expect(delaysOf(Array.from({ length: 8 }, () => crash()))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('start again from 1 s after a run of a minute or more', () => {
    expect(delaysOf([crash(), crash(), crash(), crash(60000), crash(), crash(59999)])).toEqual([1000, 2000, 4000, 1000, 2000, 4000]);
  });

  it('restart whatever the exit: a crash, a signal, even status 0', () => {
    for (const exit of [
      crash(),
      { code: null, signal: 'SIGKILL', ranMs: 10 },
      { code: 0, signal: null, ranMs: 10 },
      { code: 1, signal: null, ranMs: 10 },
    ]) {
      expect(decideOnExit(freshRestarts(), exit).action).toBe('restart');
    }
  });

  it('do not restart on status 78 (bad configuration): it would fail again', () => {
    const decision = decideOnExit(freshRestarts(), { code: 78, signal: null, ranMs: 100 });
    expect(decision).toEqual({ action: 'give-up', reason: 'bad configuration' });
    expect(delaysOf([crash(), crash(), { code: 78, signal: null, ranMs: 100 }])).toEqual([1000, 2000, 'give-up']);
  });

  it('take other limits', () => {
    const policy = { ...restartPolicy, initialDelayMs: 100, maxDelayMs: 250 };
    let state = freshRestarts();
    const delays = [];
    for (let i = 0; i < 4; i += 1) {
      const decision = decideOnExit(state, crash(), policy);
      if (decision.action !== 'restart') throw new Error('expected a restart');
      delays.push(decision.delayMs);
      state = decision.state;
    }
    expect(delays).toEqual([100, 200, 250, 250]);
  });
});

describe('describeExit', () => {
  it('names the code or the signal', () => {
    expect(describeExit({ code: 70, signal: null })).toBe('code 70');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('signal SIGKILL');
  });
});
