// The producer puts every key on the partition kafkajs' DefaultPartitioner chose for it (the topics and their
// consumers were built on it): 20,000 random keys (session ids, any length, any UTF-8) and several partition counts.
import { createRandom } from '@callpulse/testkit/scenarios';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionOf } from './session-partitioner.js';

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:~éüß→📞';

function randomKeys(count: number, next: () => number): string[] {
  const chars = [...alphabet];
  return Array.from({ length: count }, (_, i) => {
    if (i % 4 === 0) return `s-${Math.floor(next() * 2 ** 52).toString(36)}${Math.floor(next() * 2 ** 52).toString(36)}`; // like a telephonySessionId
    if (i % 4 === 1) return crypto.randomUUID();
    const length = Math.floor(next() * 40); // 0..39 characters: every murmur2 tail length
    return Array.from({ length }, () => chars[Math.floor(next() * chars.length)]).join('');
  });
}

/** kafkajs' DefaultPartitioner for a topic of `partitions` partitions (every one with a leader). */
function kafkajsPartitioner(partitions: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));
  return (key) => partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

describe('partitionOf', () => {
  const keys = randomKeys(20000, createRandom(16).next); // seeded: the same keys on every run

  it.each([1, 2, 3, 6, 12, 16, 24, 50, 64, 100])('agrees with kafkajs DefaultPartitioner on 20,000 keys, %i partitions', (partitions) => {
    const kafkajsPartition = kafkajsPartitioner(partitions);
    const disagreements = keys.filter((key) => partitionOf(key, partitions) !== kafkajsPartition(key));
    expect(disagreements).toEqual([]);
  });

  it('takes a key as a string or as its UTF-8 bytes alike', () => {
    for (const key of keys.slice(0, 1000)) expect(partitionOf(Buffer.from(key), 12)).toBe(partitionOf(key, 12));
  });
});
