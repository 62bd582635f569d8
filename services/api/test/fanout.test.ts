// The live fan-out on plain values: order, the first value, filters, the bounded queue that drops a subscriber that
// falls behind (and only that one), clean-up, and a publish that never throws.
import { describe, expect, it } from 'vitest';
import { Fanout, SubscriberTooSlow } from '../src/live/fanout.js';

type Topics = { n: number };

const take = async (iterator: AsyncIterator<unknown>, count: number) => {
  const values: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const result = await iterator.next();
    if (result.done) break;
    values.push(result.value);
  }
  return values;
};

describe('fan-out', () => {
  it('delivers the first value, then what was published, in order, to the accepted subscribers', async () => {
    const fanout = new Fanout<Topics>({ limit: 10 });
    const even = fanout.subscribe('n', { accept: (n) => n % 2 === 0, first: async () => -2 });
    const all = fanout.subscribe('n');
    for (let n = 0; n < 6; n++) fanout.publish('n', n);
    expect(await take(even, 4)).toEqual([-2, 0, 2, 4]);
    expect(await take(all, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    const waiting = all.next();
    fanout.publish('n', 6);
    expect(await waiting).toEqual({ value: 6, done: false });
  });

  it('drops a subscriber that falls more than limit values behind, once, and keeps the others', async () => {
    const dropped: string[] = [];
    const closed: string[] = [];
    const fanout = new Fanout<Topics>({ limit: 3 });
    const slow = fanout.subscribe('n', { onDrop: () => dropped.push('slow'), onClose: () => closed.push('slow') });
    const fast = fanout.subscribe('n', { onDrop: () => dropped.push('fast') });
    for (let n = 0; n < 10; n++) {
      fanout.publish('n', n);
      await fast.next();
    }
    expect(dropped).toEqual(['slow']);
    expect(closed).toEqual(['slow']);
    expect(fanout.count('n')).toBe(1);
    const [marker] = await take(slow, 1);
    expect(marker).toBeInstanceOf(SubscriberTooSlow);
    expect((marker as SubscriberTooSlow).limit).toBe(3);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(closed).toEqual(['slow']);
  });

  it('forgets a subscriber that leaves, ends a waiting next, and never throws on publish', async () => {
    const errors: unknown[] = [];
    let closes = 0;
    const fanout = new Fanout<Topics>({ limit: 3, onError: (err) => errors.push(err) });
    const leaving = fanout.subscribe('n', { onClose: () => closes++ });
    const waiting = leaving.next();
    await leaving.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await leaving.return?.();
    expect(closes).toBe(1);
    expect(fanout.count('n')).toBe(0);
    fanout.subscribe('n', {
      accept: () => {
        throw new Error('a broken filter');
      },
    });
    expect(() => fanout.publish('n', 1)).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});
