// The ownership fence on plain data: which fetched messages may still be written and committed.
import { describe, expect, it } from 'vitest';
import { Ownership } from '../src/consumer/ownership.js';

function clock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ownership', () => {
  it('owns nothing before the first join', () => {
    const ownership = new Ownership(15000);
    expect(ownership.member).toBe(false);
    expect(ownership.stamp(0)).toBeUndefined();
    expect(ownership.status(0, ownership.epoch)).toBe('revoked');
  });

  it('lets messages of an assigned partition be written while the epoch lasts', () => {
    const ownership = new Ownership(15000);
    ownership.joined([0, 2]);
    const epoch = ownership.stamp(2) as number;
    expect(ownership.status(2, epoch)).toBe('owned');
    expect(ownership.stamp(1)).toBeUndefined();
    expect(ownership.partitions).toEqual([0, 2]);
  });

  it('revokes everything fetched before a rebalance, even for a partition that comes back', () => {
    const ownership = new Ownership(15000);
    ownership.joined([0, 1]);
    const before = ownership.stamp(0) as number;
    ownership.revoked();
    expect(ownership.status(0, before)).toBe('revoked');
    expect(ownership.holds(0)).toBe('revoked');
    ownership.joined([0]);
    // kafkajs reads partition 0 again from its committed offset: the old messages are not ours to write any more.
    expect(ownership.status(0, before)).toBe('revoked');
    expect(ownership.status(0, ownership.stamp(0) as number)).toBe('owned');
    expect(ownership.status(1, ownership.epoch)).toBe('revoked');
  });

  it('is unsure, not revoked, once no heartbeat got through for the lease, and owns again after one', () => {
    const time = clock();
    const ownership = new Ownership(15000, time.now);
    ownership.joined([3]);
    const epoch = ownership.stamp(3) as number;
    time.advance(14999);
    expect(ownership.status(3, epoch)).toBe('owned');
    time.advance(1);
    expect(ownership.status(3, epoch)).toBe('unsure');
    expect(ownership.holds(3)).toBe('unsure');
    ownership.renewed();
    expect(ownership.status(3, epoch)).toBe('owned');
  });

  it('does not count a heartbeat after a revocation as membership', () => {
    const ownership = new Ownership(15000);
    ownership.joined([0]);
    ownership.revoked();
    ownership.renewed();
    expect(ownership.member).toBe(false);
  });
});
