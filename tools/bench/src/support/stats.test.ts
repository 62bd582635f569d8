import { describe, expect, it } from 'vitest';
import { median, percentile, round } from './stats.js';

describe('percentile', () => {
  it('is the nearest-rank percentile of the sample', () => {
    const values = Array.from({ length: 100 }, (_unused, index) => 100 - index); // 100..1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('is null for no sample', () => {
    expect(percentile([], 99)).toBeNull();
    expect(round(null)).toBeNull();
    expect(round(1.26, 1)).toBe(1.3);
  });
});
