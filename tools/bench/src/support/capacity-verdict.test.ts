import { describe, expect, it } from 'vitest';
import { highestHeld, judgeStep, type LagSample, lagGrowth, type StepMeasurement } from './capacity-verdict.js';

/** Lag sampled every second for `seconds`: climbs to `level` in 3 s, then grows by `growth` events/s (plus noise). */
function lagOver(seconds: number, level: number, growth: number): LagSample[] {
  return Array.from({ length: seconds }, (_unused, index) => {
    const atSeconds = index + 1;
    const noise = (index % 3) * 0.05 * level;
    return { atSeconds, lag: Math.round(Math.min(1, atSeconds / 3) * level + Math.max(0, atSeconds - 3) * growth + noise) };
  });
}

const good: StepMeasurement = {
  rate: 2000,
  sent: 80000,
  sendSeconds: 40.1,
  failures: 0,
  skipped: 0,
  maxUnanswered: 1000,
  pushP99Ms: 80,
  visibilityP99Ms: 1200,
  lagSamples: lagOver(40, 6000, 0),
  drained: true,
  drainLimitSeconds: 30,
};

describe('judgeStep', () => {
  it('holds when the rate was achieved, both p99s are within their limits and call-state keeps up', () => {
    const verdict = judgeStep(good);
    expect(verdict).toMatchObject({ holds: true, reasons: [] });
    expect(verdict.achievedRate).toBeCloseTo(1995, 0);
    expect(Math.abs(verdict.lagGrowthPerSecond ?? 1000)).toBeLessThan(50);
  });

  it('fails on a push p99 of 150 ms or more, or a ClickHouse p99 of 2 s or more, naming the figure', () => {
    expect(judgeStep({ ...good, pushP99Ms: 150 }).reasons).toEqual(['push p99 150 ms']);
    expect(judgeStep({ ...good, visibilityP99Ms: 2400 }).reasons).toEqual(['ClickHouse p99 2400 ms']);
    expect(judgeStep({ ...good, pushP99Ms: null }).holds).toBe(false);
    expect(judgeStep({ ...good, visibilityP99Ms: null }).holds).toBe(false);
  });

  it('fails when the sender fell short of the rate or a webhook was refused', () => {
    expect(judgeStep({ ...good, sendSeconds: 45 }).reasons).toEqual(['sender achieved 1778/s of 2000/s']);
    expect(judgeStep({ ...good, failures: 3 }).reasons).toEqual(['3 webhooks not accepted']);
    expect(judgeStep({ ...good, skipped: 5000 }).reasons).toEqual([
      'sender achieved 1870/s of 2000/s',
      '5000 webhooks not sent: 1000 were unanswered (ingest behind)',
    ]);
  });

  it('fails when call-state falls behind: its lag grows through the step, or ends far behind', () => {
    const growing = judgeStep({ ...good, lagSamples: lagOver(40, 6000, 400) });
    expect(growing.holds).toBe(false);
    expect(growing.reasons[0]).toMatch(/^call-state lag growing 4\d\d events\/s$/);
    const far = judgeStep({ ...good, lagSamples: lagOver(40, 25000, 0) });
    expect(far.reasons).toEqual(['call-state 25000 events behind when the sending ended']);
  });

  it('fails when the pipeline did not drain what was sent in time', () => {
    expect(judgeStep({ ...good, drained: false }).reasons).toEqual(['not drained within 30 s']);
  });
});

describe('lagGrowth', () => {
  it('is the least-squares slope after the first quarter, null with too few samples', () => {
    expect(lagGrowth([])).toBeNull();
    expect(lagGrowth([{ atSeconds: 1, lag: 5 }])).toBeNull();
    expect(lagGrowth(lagOver(20, 0, 100))).toBeCloseTo(100, 5);
  });
});

describe('highestHeld', () => {
  const held = judgeStep(good);
  const failed = judgeStep({ ...good, pushP99Ms: 300 });
  it('is the last rate held before the first step that did not hold', () => {
    expect(
      highestHeld([
        { rate: 1000, verdict: held },
        { rate: 2000, verdict: held },
        { rate: 3000, verdict: failed },
        { rate: 4000, verdict: held },
      ]),
    ).toBe(2000);
    expect(highestHeld([{ rate: 1000, verdict: failed }])).toBeNull();
  });
});
