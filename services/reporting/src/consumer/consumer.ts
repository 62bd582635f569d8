// The kafkajs side: reads the completed-calls topic into the pending messages, waits (heartbeating) while they are
// full, and commits what the flusher wrote. Offsets are resolved when fetched, so kafkajs reads on, but committed
// only after the write; after a rebalance kafkajs restarts from the committed offsets, so what waited is dropped.

import type { Logger } from '@callpulse/shared';
import type { Kafka } from 'kafkajs';
import type { ReportingMetrics } from '../metrics.js';
import { decodeRecord } from '../records/decode.js';
import type { PendingMessages } from './buffer.js';
import type { PartitionOffset } from './flusher.js';

export interface CompletedCallsConsumer {
  /** True once the consumer has joined its group. */
  readonly joined: boolean;
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  /** Stops taking new messages (what is pending stays for the flusher). */
  pause: () => void;
  disconnect: () => Promise<void>;
}

export async function startCompletedCallsConsumer(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  buffer: PendingMessages;
  metrics: ReportingMetrics;
  logger: Logger;
  onFatal: (err: Error) => void;
}): Promise<CompletedCallsConsumer> {
  const { kafka, topic, buffer, metrics, logger } = options;
  const consumer = kafka.consumer({ groupId: options.groupId, sessionTimeout: 30000, heartbeatInterval: 3000 });
  let joined = false;
  let paused = false;
  let assigned = new Set<number>();
  const highWatermarks = new Map<number, bigint>();

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    assigned = new Set(payload.memberAssignment[topic] ?? []);
    const dropped = buffer.clear();
    logger.info({ partitions: [...assigned], dropped }, 'joined the consumer group');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    logger.error({ err: payload.error, restart: payload.restart }, 'Kafka consumer crashed');
    if (!payload.restart) options.onFatal(payload.error);
  });

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (paused || !isRunning() || isStale() || batch.messages.length === 0) return;
      buffer.add(
        batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          message,
          decoded: decodeRecord(message.value),
        })),
      );
      metrics.buffered.set(buffer.size);
      highWatermarks.set(batch.partition, BigInt(batch.highWatermark));
      resolveOffset(batch.lastOffset());
      while (buffer.full && !paused && isRunning()) {
        await buffer.changed(1000);
        await heartbeat();
      }
    },
  });

  return {
    get joined() {
      return joined;
    },
    commit: async (offsets) => {
      const mine = offsets.filter((offset) => offset.topic === topic && assigned.has(offset.partition));
      if (mine.length === 0) return;
      await consumer.commitOffsets(mine);
      for (const { partition, offset } of mine) {
        const highWatermark = highWatermarks.get(partition);
        if (highWatermark !== undefined) metrics.consumerLag.set({ partition: String(partition) }, Number(highWatermark - BigInt(offset)));
      }
    },
    pause: () => {
      paused = true;
      consumer.pause([{ topic }]);
    },
    disconnect: () => consumer.disconnect(),
  };
}
