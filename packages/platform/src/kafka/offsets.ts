// Consumer offsets as kafkajs commits them: the next offset to read of a partition, and the highest of several.

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read (last handled + 1), as kafkajs' commitOffsets expects. */
  offset: string;
}

/** One key per topic and partition, for maps. */
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** The offset after `offset`: what to commit once the message at `offset` is handled. */
export const nextOffset = (offset: string): string => (BigInt(offset) + 1n).toString();

/** The highest offset of each partition among the given ones. */
export function highestOffsets(offsets: Iterable<PartitionOffset>): PartitionOffset[] {
  const highest = new Map<string, PartitionOffset>();
  for (const entry of offsets) {
    const key = partitionKey(entry.topic, entry.partition);
    const seen = highest.get(key);
    if (!seen || BigInt(seen.offset) < BigInt(entry.offset)) highest.set(key, entry);
  }
  return [...highest.values()];
}
