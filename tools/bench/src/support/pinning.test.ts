import { describe, expect, it } from 'vitest';
import { parseAffinityList } from './pinning.js';

describe('parseAffinityList', () => {
  it("reads the CPU list of taskset's answer", () => {
    expect(parseAffinityList("pid 4242's current affinity list: 0,1\n")).toBe('0,1');
    expect(parseAffinityList("pid 7's current affinity list: 0-3")).toBe('0-3');
  });
  it('is null for anything else', () => {
    expect(parseAffinityList('taskset: failed to get pid 1 affinity')).toBeNull();
  });
});
