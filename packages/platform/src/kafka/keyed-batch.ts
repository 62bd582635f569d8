// Processes a kafkajs batch with per-key order: the messages of one key (telephony session) are handed to the
// handler together and in offset order, different keys run concurrently. Offsets are resolved only after every key of
// a chunk succeeded, so the committed position is always a contiguous ascending run of finished work
// (kafkajs `resolveOffset` is last-write-wins: resolving out of order would skip or repeat work). The offsets are
// handed to an OffsetCommitter (offset-committer.ts), which commits them on a timer.
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { nextOffset } from './offsets.js';

export interface KeyedBatchOptions {
  /** Handles all messages of one key from one chunk, in offset order. Throwing fails the batch (kafkajs retries it). */
  handleKey: (key: string, messages: KafkaMessage[], from: { topic: string; partition: number }) => Promise<void>;
  concurrency: number;
  chunkSize: number;
  /** Called once per chunk after its keys were handled, before offsets are resolved. */
  afterChunk?: () => Promise<void>;
  /** The worker is stopping: return at the next chunk boundary (the rest is read again by the next owner). */
  isStopping: () => boolean;
  /** Every message of the partition before nextOffset is handled: its offset may be committed. */
  onApplied: (topic: string, partition: number, nextOffset: string) => void;
  /** The heartbeat failed (e.g. a rebalance began): commit what was applied while the partitions are still ours. */
  onHeartbeatFailed: () => Promise<void>;
}

export async function processKeyedBatch(payload: EachBatchPayload, options: KeyedBatchOptions): Promise<void> {
  const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
  for (let start = 0; start < batch.messages.length; start += options.chunkSize) {
    if (!isRunning() || isStale() || options.isStopping()) return;
    const chunk = batch.messages.slice(start, start + options.chunkSize);
    await runGroups(groupByKey(chunk), options, { topic: batch.topic, partition: batch.partition });
    await options.afterChunk?.();
    const last = chunk[chunk.length - 1];
    if (last) {
      resolveOffset(last.offset);
      options.onApplied(batch.topic, batch.partition, nextOffset(last.offset));
    }
    try {
      await heartbeat();
    } catch (err) {
      await options.onHeartbeatFailed().catch(() => undefined);
      throw err;
    }
  }
}

export function groupByKey(messages: KafkaMessage[]): Map<string, KafkaMessage[]> {
  const groups = new Map<string, KafkaMessage[]>();
  for (const message of messages) {
    const key = message.key?.toString() ?? '';
    const group = groups.get(key);
    if (group) group.push(message);
    else groups.set(key, [message]);
  }
  return groups;
}

async function runGroups(
  groups: Map<string, KafkaMessage[]>,
  options: KeyedBatchOptions,
  from: { topic: string; partition: number },
): Promise<void> {
  const entries = [...groups];
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const entry = entries[next++];
      if (entry) await options.handleKey(entry[0], entry[1], from);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, entries.length) }, worker));
}
