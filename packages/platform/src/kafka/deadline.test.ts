import { describe, expect, it } from 'vitest';
import { untilDeadline } from './deadline.js';

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('untilDeadline', () => {
  it('gives the send its result when it is acknowledged in time, or without a deadline', async () => {
    expect(await untilDeadline(later(5, 'acked'), Date.now() + 1000)).toBe('acked');
    expect(await untilDeadline(later(5, 'acked'), undefined)).toBe('acked');
  });

  it('rejects once the deadline passed, and a late failure of the abandoned send is no unhandled rejection', async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('broker gone')), 50));
    await expect(untilDeadline(late, Date.now() + 10)).rejects.toThrow(/no acknowledgement within the deadline/);
    await later(60, undefined);
  });

  it('passes on the send failing before the deadline', async () => {
    await expect(untilDeadline(Promise.reject(new Error('refused')), Date.now() + 1000)).rejects.toThrow('refused');
  });
});
