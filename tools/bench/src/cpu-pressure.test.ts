// The CPU pressure figure's reading of /proc/pressure/cpu: the "some" line's total, not the "full" line's.
import { describe, expect, it } from 'vitest';
import { cpuStallMicrosOf } from './support/cpu.js';

describe('cpuStallMicrosOf', () => {
  it('reads the total of the "some" line', () => {
    const text = 'some avg10=0.52 avg60=25.85 avg300=39.78 total=3739609854\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=12\n';
    expect(cpuStallMicrosOf(text)).toBe(3739609854);
  });

  it('is null for text without a "some" line', () => {
    expect(cpuStallMicrosOf('full avg10=0.00 avg60=0.00 avg300=0.00 total=12\n')).toBeNull();
    expect(cpuStallMicrosOf('')).toBeNull();
  });
});
