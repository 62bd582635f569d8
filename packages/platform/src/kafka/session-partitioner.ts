// Which partition a session's messages go to: the same as kafkajs' DefaultPartitioner (the Java client's murmur2,
// positive, modulo the partition count), which wrote every existing topic. Consumers and the per-session order rely on
// a key never moving partition, so the producer uses @platformatic/kafka's kafkajs-compatible partitioner, never its
// default one (a different hash: it agrees with kafkajs on about half of the keys).
import { compatibilityPartitioner } from '@platformatic/kafka';

/** The producer's partitioner: a hash of the key bytes, which the client takes modulo the topic's partition count. */
export const sessionPartitioner = compatibilityPartitioner;

/** The partition of `key` (a string as its UTF-8 bytes, as the producer sends it) in a topic of `partitions` partitions. */
export function partitionOf(key: string | Buffer, partitions: number): number {
  return sessionPartitioner(undefined as never, typeof key === 'string' ? Buffer.from(key) : key) % partitions;
}
