import { describe, expect, it } from 'vitest';
import { cpuMicrosPerUnit, ratioOf, sumCpu, ticksOfProcStat } from './process-cpu.js';

// A real /proc/<pid>/stat line (node with a space in its name), utime 1234 and stime 56.
const stat =
  '4242 (node main) S 4200 4242 4200 34816 4242 4194304 20000 0 0 0 1234 56 0 0 20 0 11 0 900000 1200000000 30000 18446744073709551615 1 1 0 0 0 0 0 16781312 134235650 0 0 0 17 1 0 0 0 0 0';

describe('ticksOfProcStat', () => {
  it('adds utime and stime, after a command name with spaces', () => {
    expect(ticksOfProcStat(stat)).toBe(1290);
  });
  it('is null for what is not a stat line', () => {
    expect(ticksOfProcStat('')).toBeNull();
    expect(ticksOfProcStat('1 (x) S 1')).toBeNull();
  });
});

describe('cpuMicrosPerUnit', () => {
  it('is the CPU time in microseconds divided by the units', () => {
    // 1.5 s of CPU for 25,000 requests: 60 µs each.
    expect(cpuMicrosPerUnit(1.5, 25000)).toBeCloseTo(60, 9);
  });
  it('is null without CPU time or without units', () => {
    expect(cpuMicrosPerUnit(null, 10)).toBeNull();
    expect(cpuMicrosPerUnit(1, 0)).toBeNull();
  });
});

describe('ratioOf and sumCpu', () => {
  it('divides, and is null on a missing figure or a zero divisor', () => {
    expect(ratioOf(45, 30)).toBeCloseTo(1.5, 9);
    expect(ratioOf(45, 0)).toBeNull();
    expect(ratioOf(null, 3)).toBeNull();
  });
  it('sums CPU seconds of several processes, null if one is missing', () => {
    expect(sumCpu([1.25, 0.75])).toBe(2);
    expect(sumCpu([1, null])).toBeNull();
  });
});
