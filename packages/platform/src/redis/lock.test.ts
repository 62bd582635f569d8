// The Redis lock on the real Redis: one holder at a time (the others skip), given back after the work (also when it
// throws), and a holder whose lock expired and was taken by another never deletes the other's lock.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../../test/support/env.js';
import { createRedis } from './client.js';
import { withLock } from './lock.js';

const redis = createRedis(redisUrl);
const key = (label: string) => `${uniqueName(label)}:lock`;

afterAll(() => {
  redis.disconnect();
});

describe('withLock', () => {
  it('runs the work of one holder at a time; the other skips without waiting', async () => {
    const lock = key('one');
    let release: () => void = () => undefined;
    const first = withLock(redis, lock, 10000, () => new Promise<string>((resolve) => (release = () => resolve('first'))));
    await sleep(20);
    let ran = false;
    expect(
      await withLock(redis, lock, 10000, async () => {
        ran = true;
      }),
    ).toEqual({ acquired: false });
    expect(ran).toBe(false);
    release();
    expect(await first).toEqual({ acquired: true, value: 'first' });
    expect(await redis.exists(lock)).toBe(0);
  });

  it('gives the lock back when the work throws', async () => {
    const lock = key('throws');
    await expect(
      withLock(redis, lock, 10000, async () => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await withLock(redis, lock, 10000, async () => 'again')).toEqual({ acquired: true, value: 'again' });
  });

  it('does not delete the lock of the next holder after its own expired', async () => {
    const lock = key('expired');
    const slow = withLock(redis, lock, 50, () => sleep(200));
    await sleep(100); // the slow holder's lock expired
    const next = await withLock(redis, lock, 10000, async () => {
      await slow; // the slow holder finishes and gives its lock back while the next one holds it
      return redis.exists(lock);
    });
    expect(next).toEqual({ acquired: true, value: 1 });
  });
  it('gives the lock back while other commands wait in an auto-pipeline of the same connection', async () => {
    // A new connection, so the release is its first script call; the work leaves commands queued in the same tick as
    // the release (failed before the release script was defined with the connection: ioredis put the release into a
    // pipeline made without it and threw "results[i] is not iterable" outside any promise, ending the process).
    const fresh = createRedis(redisUrl);
    try {
      const lock = key('queued');
      await fresh.set(`${lock}:other`, 'x');
      let queued: Array<Promise<string | null>> = [];
      const result = await withLock(fresh, lock, 10000, async () => {
        queued = Array.from({ length: 10 }, () => fresh.get(`${lock}:other`));
        return 'done';
      });
      expect(result).toEqual({ acquired: true, value: 'done' });
      expect(await Promise.all(queued)).toEqual(Array(10).fill('x'));
      expect(await fresh.exists(lock)).toBe(0);
    } finally {
      fresh.disconnect();
    }
  });
});
