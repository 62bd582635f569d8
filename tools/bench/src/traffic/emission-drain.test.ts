import { describe, expect, it } from 'vitest';
import { emissionOutcome } from './emission-drain.js';

const expected = { legs: new Set(['s1:p1', 's1:p2']), summaries: new Set(['s1']) };

describe('emissionOutcome', () => {
  it('stops the clock at the last owed record, once every one was seen', () => {
    const seen = new Map([
      ['leg:s1:p1', 1000],
      ['leg:s1:p2', 1500],
      ['session:s1', 1200],
      ['leg:other:p9', 9000], // not owed by this backlog: does not move the clock
    ]);
    expect(emissionOutcome(expected, seen, 7)).toEqual({
      legs: 2,
      summaries: 1,
      missingLegs: 0,
      missingSummaries: 0,
      records: 7,
      lastAtMs: 1500,
    });
  });
  it('has no end while an owed record is missing', () => {
    const outcome = emissionOutcome(expected, new Map([['leg:s1:p1', 1000]]), 1);
    expect(outcome.lastAtMs).toBeNull();
    expect(outcome.missingLegs).toBe(1);
    expect(outcome.missingSummaries).toBe(1);
  });
});
