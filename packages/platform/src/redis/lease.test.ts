// The renewed lease on the real Redis: one holder of several, kept while renewed, taken over by another within the
// expiry when the holder stops renewing, given back on stop.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../../test/support/env.js';
import { createRedis } from './client.js';
import { createLease } from './lease.js';

const redis = createRedis(redisUrl);
afterAll(() => {
  redis.disconnect();
});

describe('createLease', () => {
  it('has one holder at a time, renewed past its expiry, and hands over when the holder stops', async () => {
    const key = `${uniqueName('lease')}:lease`;
    const events: string[] = [];
    const a = createLease(redis, key, { ttlMs: 600, renewMs: 100, onAcquired: () => events.push('a+'), onLost: () => events.push('a-') });
    const b = createLease(redis, key, { ttlMs: 600, renewMs: 100, onAcquired: () => events.push('b+'), onLost: () => events.push('b-') });
    a.start();
    await sleep(50);
    b.start();
    await sleep(1000); // longer than the expiry: a renews
    expect(a.held()).toBe(true);
    expect(b.held()).toBe(false);
    expect(await redis.get(key)).toBe(a.token);
    await a.stop(); // gives it back: b takes it at its next try
    await sleep(300);
    expect(b.held()).toBe(true);
    await b.stop();
    expect(await redis.exists(key)).toBe(0);
    expect(events).toEqual(['a+', 'a-', 'b+', 'b-']);
  });

  it('is lost when the key is taken by another (a renewal refused)', async () => {
    const key = `${uniqueName('lease')}:lease`;
    let lost = 0;
    const a = createLease(redis, key, { ttlMs: 600, renewMs: 100, onLost: () => lost++ });
    a.start();
    await sleep(100);
    expect(a.held()).toBe(true);
    await redis.set(key, 'another', 'PX', 600);
    await sleep(250);
    expect(a.held()).toBe(false);
    expect(lost).toBe(1);
    await a.stop();
    expect(await redis.get(key)).toBe('another'); // not released: it is not a's
  });
});
