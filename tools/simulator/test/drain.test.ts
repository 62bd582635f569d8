// The drain rule (pure): verify waits for what was sent before it started, not for zero lag, so a pipeline that keeps
// carrying other traffic still drains; and it does not call a pipeline drained while anything of the truth is on its way.
import { describe, expect, it } from 'vitest';
import {
  behindMark,
  type DrainObservation,
  type DrainState,
  drainStep,
  type PartitionCommit,
  type PartitionEnd,
  startDrain,
} from '../src/verify/drain-rule.js';

const ends = (...highs: number[]): PartitionEnd[] => highs.map((high, partition) => ({ partition, high, low: 0 }));
const commits = (...offsets: number[]): PartitionCommit[] => offsets.map((offset, partition) => ({ partition, offset }));

/** Polls one observation after the other, 500 ms apart, and returns each verdict. */
function run(state: DrainState, seen: Array<Omit<DrainObservation, 'atMs'>>, settleMs = 2000) {
  return seen.map((observation, index) => {
    const verdict = drainStep(state, { ...observation, atMs: 1000 + index * 500 }, settleMs);
    state = verdict.state;
    return verdict;
  });
}

describe('behindMark', () => {
  it('counts the marked messages a group has not committed, whatever was written after the mark', () => {
    expect(behindMark(ends(10, 20), commits(10, 20))).toBe(0);
    expect(behindMark(ends(10, 20), commits(12, 35))).toBe(0);
    expect(behindMark(ends(10, 20), commits(7, 20))).toBe(3);
    // a partition the group never committed counts from its first stored offset
    expect(behindMark([{ partition: 0, high: 10, low: 4 }], [])).toBe(6);
    expect(behindMark([{ partition: 0, high: 10, low: 4 }], commits(-1))).toBe(6);
    expect(behindMark(ends(0, 0), [])).toBe(0);
  });
});

describe('drainStep', () => {
  it('drains while other traffic keeps both topics growing (consumer lag never zero)', () => {
    const state = startDrain(ends(100, 100), 1000);
    const seen = Array.from({ length: 10 }, (_, i) => ({
      // call-state and reporting are always 5 messages behind the live end, but past the marks from the third poll
      callStateCommitted: commits(90 + 10 * i, 90 + 10 * i),
      completedEnds: ends(50 + 10 * i, 50 + 10 * i),
      reportingCommitted: commits(45 + 10 * i, 45 + 10 * i),
      pendingEmissions: 0,
      rowsFingerprint: i < 3 ? `rows-${i}` : 'rows-final',
    }));
    const verdicts = run(state, seen);
    expect(verdicts.map((v) => v.callStateBehind)).toEqual([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // reporting's mark is completed-calls' end when call-state first passed its mark (poll 2: 60 per partition)
    expect(verdicts[1]?.state.completedMark).toEqual(ends(60, 60));
    expect(verdicts.map((v) => v.reportingBehind)).toEqual([undefined, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
    // rows last changed at poll 4 (t = 2500): drained 2 s later
    expect(verdicts.map((v) => v.drained)).toEqual([false, false, false, false, false, false, false, true, true, true]);
  });

  it('waits for call-state to pass the end offsets taken at the start, for pending emissions and for reporting', () => {
    const state = startDrain(ends(10), 1000);
    const quiet = { completedEnds: ends(4), reportingCommitted: commits(4), rowsFingerprint: 'same' };
    const verdicts = run(
      state,
      [
        { ...quiet, callStateCommitted: commits(9), pendingEmissions: 0 },
        { ...quiet, callStateCommitted: commits(10), pendingEmissions: 2 },
        // the pending emission is produced: completed-calls grows to 6, reporting has not read it yet
        { ...quiet, callStateCommitted: commits(10), pendingEmissions: 0, completedEnds: ends(6) },
        { ...quiet, callStateCommitted: commits(10), pendingEmissions: 0, completedEnds: ends(8) },
        { ...quiet, callStateCommitted: commits(10), pendingEmissions: 0, completedEnds: ends(8), reportingCommitted: commits(6) },
        ...Array.from({ length: 5 }, () => ({
          ...quiet,
          callStateCommitted: commits(10),
          pendingEmissions: 0,
          completedEnds: ends(8),
          reportingCommitted: commits(6),
        })),
      ],
      2000,
    );
    expect(verdicts.map((v) => v.quiet)).toEqual([false, false, false, false, true, true, true, true, true, true]);
    expect(verdicts.map((v) => v.reportingBehind)).toEqual([undefined, undefined, 2, 2, 0, 0, 0, 0, 0, 0]);
    expect(verdicts.findIndex((v) => v.drained)).toBe(8);
  });

  it('starts the settle time again when the rows change or something becomes pending again', () => {
    const state = startDrain(ends(1), 0);
    const base = { callStateCommitted: commits(1), completedEnds: ends(1), reportingCommitted: commits(1), pendingEmissions: 0 };
    const verdicts = run(
      state,
      [
        { ...base, rowsFingerprint: 'a' },
        { ...base, rowsFingerprint: 'a' },
        { ...base, rowsFingerprint: 'a' },
        { ...base, rowsFingerprint: 'b' }, // an amendment landed
        { ...base, rowsFingerprint: 'b', pendingEmissions: 1 }, // and another is due
        { ...base, rowsFingerprint: 'b' },
        { ...base, rowsFingerprint: 'b' },
        { ...base, rowsFingerprint: 'b' },
        { ...base, rowsFingerprint: 'b' },
        { ...base, rowsFingerprint: 'b' },
      ],
      1500,
    );
    expect(verdicts.map((v) => v.state.stableSinceMs)).toEqual([1000, 1000, 1000, 2500, 3000, 3500, 3500, 3500, 3500, 3500]);
    expect(verdicts.findIndex((v) => v.drained)).toBe(8);
    // the reporting mark was dropped while an emission was pending, and taken again afterwards
    expect(verdicts[4]?.state.completedMark).toBeUndefined();
  });
});
