// The replay moves each partition back to the first notification at or after the time, never forward.
import { describe, expect, it } from 'vitest';
import { planReplay } from '../../src/cli/replay-plan.js';

describe('planReplay', () => {
  it('moves back to the time, keeps a partition already before it, and counts what is applied again', () => {
    const plan = planReplay(
      [
        { partition: 0, offset: '40' },
        { partition: 1, offset: '-1' }, // nothing at or after the time: its end
        { partition: 2, offset: '10' },
      ],
      [
        { partition: 0, high: '100' },
        { partition: 1, high: '70' },
        { partition: 2, high: '30' },
      ],
      [
        { partition: 0, offset: '100' },
        { partition: 1, offset: '70' },
        { partition: 2, offset: '5' },
      ],
    );
    expect(plan).toEqual([
      { partition: 0, committed: '100', offset: '40', replayed: 60 },
      { partition: 1, committed: '70', offset: '70', replayed: 0 },
      { partition: 2, committed: '5', offset: '5', replayed: 25 },
    ]);
  });
});
