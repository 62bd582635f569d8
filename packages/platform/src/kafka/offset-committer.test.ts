// Offsets are committed only once their effect has been in Redis long enough to be fsynced; a failed commit keeps them.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { durableOffsets, OffsetCommitter } from './offset-committer.js';
import type { PartitionOffset } from './offsets.js';

const logger = createLogger('test', 'silent');

function fakeConsumer(fail = false) {
  const commits: PartitionOffset[][] = [];
  return {
    commits,
    consumer: {
      commitOffsets: async (offsets: PartitionOffset[]) => {
        if (fail) throw new Error('coordinator gone');
        commits.push(offsets);
      },
    },
  };
}

describe('durableOffsets', () => {
  it('takes the newest offset applied long enough ago, and keeps the younger ones waiting', () => {
    const applied = new Map([
      [
        'a',
        [
          { offset: 10n, atMs: 1000 },
          { offset: 20n, atMs: 2000 },
          { offset: 30n, atMs: 3000 },
        ],
      ],
      ['b', [{ offset: 5n, atMs: 2900 }]],
    ]);
    const durable = durableOffsets(applied, 4600, 2500);
    expect(durable.get('a')).toEqual({ offset: 20n, remaining: [{ offset: 30n, atMs: 3000 }] });
    expect(durable.has('b')).toBe(false);
  });
});

describe('OffsetCommitter', () => {
  it('does not commit an offset before its effect is durable in Redis', async () => {
    let now = 10_000;
    const { consumer, commits } = fakeConsumer();
    const committer = new OffsetCommitter(
      () => consumer,
      logger,
      2500,
      () => now,
    );
    committer.record('t', 0, '100');
    await committer.commit();
    expect(commits).toEqual([]);
    now += 2499;
    await committer.commit();
    expect(commits).toEqual([]);
    now += 1;
    await committer.commit();
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '100' }]]);
  });

  it('keeps the offsets of a failed commit for the next one, and forgets partitions it lost', async () => {
    let now = 0;
    const failing = fakeConsumer(true);
    const working = fakeConsumer();
    let current = failing.consumer; // the worker replaces a consumer kafkajs gave up on
    const committer = new OffsetCommitter(
      () => current,
      logger,
      10,
      () => now,
    );
    committer.record('t', 0, '7');
    committer.record('t', 1, '9');
    now = 100;
    await expect(committer.commit()).rejects.toThrow('coordinator gone');
    committer.keepOnly((_topic, partition) => partition === 0);
    current = working.consumer;
    await committer.commit();
    expect(working.commits).toEqual([[{ topic: 't', partition: 0, offset: '7' }]]);
    expect(committer.pendingPartitions).toBe(0);
  });

  it('commits everything at shutdown after waiting for it to become durable', async () => {
    const { consumer, commits } = fakeConsumer();
    const committer = new OffsetCommitter(() => consumer, logger, 50);
    // Taken before the record: its time is no earlier, so the commit may come no sooner than 50 ms after this,
    // however long the process is held between the two lines (a loaded machine held it 33 ms once).
    const recordedAt = Date.now();
    committer.record('t', 3, '42');
    await committer.commitAll();
    expect(Date.now() - recordedAt).toBeGreaterThanOrEqual(49);
    expect(commits).toEqual([[{ topic: 't', partition: 3, offset: '42' }]]);
  });
});
