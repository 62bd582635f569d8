// The kafkajs side: reads the completed-calls topic into the pending messages, waits (heartbeating) until the flusher
// has written them, and commits what the flusher wrote. Offsets are committed only after the write; after a rebalance
// kafkajs restarts from the committed offsets, so what waited is dropped. The group's events keep the ownership fence
// up to date. A consumer kafkajs gives up on (e.g. "Failed to find group coordinator" during a Kafka restart) is
// replaced with backoff by platform's RestartingConsumer; the process never exits for it.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kafka, type Logger, type PartitionOffset, RestartingConsumer } from '@callpulse/platform';
import type { ReportingMetrics } from '../metrics.js';
import { decodeRecord } from '../records/decode.js';
import type { PendingMessages } from './buffer.js';
import { backoffMs } from './flusher.js';
import type { Ownership } from './ownership.js';

/** How soon the group gives a silent member's partitions to another. */
export const SESSION_TIMEOUT_MS = 30000;
/**
 * How long after its last successful heartbeat this instance still writes for its partitions: half the session
 * timeout, so a heartbeat's round trip (up to kafkajs' 10 s request timeout) still leaves a margin.
 */
export const OWNERSHIP_LEASE_MS = SESSION_TIMEOUT_MS / 2;

/** Batches of different partitions handed to eachBatch at the same time (kafkajs' partitionsConsumedConcurrently). */
const PARTITIONS_AT_ONCE = 256;

/** Heartbeat errors after which kafkajs joins the group again (and reads every partition from its committed offset). */
const mustRejoin = (err: unknown) =>
  ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID'].includes(
    (err as { type?: string }).type ?? '',
  );

export interface CompletedCallsConsumer {
  /** undefined while consuming; otherwise why not, as "summary: detail" (for /readyz). */
  readonly notConsuming: string | undefined;
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  /** Stops taking new messages (what is pending stays for the flusher). */
  pause: () => void;
  disconnect: () => Promise<void>;
}

export async function startCompletedCallsConsumer(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** A fetch waits for this many bytes or fetchMaxWaitMs, whichever comes first. */
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  buffer: PendingMessages;
  ownership: Ownership;
  metrics: ReportingMetrics;
  logger: Logger;
}): Promise<CompletedCallsConsumer> {
  const { kafka, topic, buffer, ownership, metrics, logger } = options;
  let paused = false;
  const highWatermarks = new Map<number, bigint>();

  const revoke = (why: string) => {
    const wasMember = ownership.member;
    ownership.revoked();
    const dropped = buffer.clear();
    metrics.buffered.set(0);
    if (wasMember || dropped > 0) logger.info({ why, dropped }, 'partitions revoked');
  };

  /**
   * Waits until the flusher has finished these messages, heartbeating meanwhile. kafkajs rejoins the group only after
   * eachBatch returns, and while a write of this instance is on its way some eachBatch is waiting for it: so when the
   * group rebalances, this instance gives its partitions up at once (nothing more is written for them) but rejoins
   * only once the write in flight has ended, and the next owner's look-up sees whatever it stored.
   */
  const untilFinished = async (finished: Promise<void>, heartbeat: () => Promise<void>, isRunning: () => boolean) => {
    let done = false;
    void finished.then(() => {
      done = true;
    });
    let rejoin: unknown;
    while (!done && isRunning()) {
      await Promise.race([finished, sleep(1000)]);
      if (done) break;
      try {
        await heartbeat();
      } catch (err) {
        // Anything else (Kafka unreachable, a timeout): keep waiting; a heartbeat is tried again in a second.
        if (!rejoin && mustRejoin(err)) {
          rejoin = err;
          revoke('the group is rebalancing');
        }
      }
    }
    if (rejoin) throw rejoin;
  };

  const consumer = new RestartingConsumer({
    kafka,
    config: {
      groupId: options.groupId,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: 3000,
      minBytes: options.fetchMinBytes,
      maxWaitTimeInMs: options.fetchMaxWaitMs,
    },
    backoffMs,
    logger,
    onJoin: (assignment) => {
      const partitions = assignment[topic] ?? [];
      ownership.joined(partitions);
      const dropped = buffer.clear();
      metrics.buffered.set(0);
      logger.info({ partitions, dropped, epoch: ownership.epoch }, 'joined the consumer group');
    },
    onRebalancing: () => revoke('the group is rebalancing'),
    onHeartbeat: () => ownership.renewed(),
    onCrash: () => revoke('the Kafka consumer crashed'),
    onReplaced: () => metrics.consumerRestarts.inc(),
    run: async (created, current) => {
      await created.subscribe({ topic, fromBeginning: true });
      await created.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Every partition's batch at once: each call waits for its messages to be written, and one insert takes them all.
        partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (paused || !current() || !isRunning() || isStale() || batch.messages.length === 0) return;
          const epoch = ownership.stamp(batch.partition);
          if (epoch === undefined) return; // revoked since the fetch: the next owner reads it
          const finished = buffer.add(
            batch.messages.map((message) => ({
              topic: batch.topic,
              partition: batch.partition,
              epoch,
              message,
              decoded: decodeRecord(message.value),
            })),
          );
          metrics.buffered.set(buffer.size);
          highWatermarks.set(batch.partition, BigInt(batch.highWatermark));
          resolveOffset(batch.lastOffset());
          await untilFinished(finished, heartbeat, isRunning);
        },
      });
    },
  });

  try {
    await consumer.start();
  } catch (err) {
    await consumer.stop().catch(() => undefined);
    throw err;
  }

  return {
    get notConsuming() {
      // The group may also take the partitions away without a crash (a rebalance): the ownership fence knows.
      return consumer.notConsuming ?? (ownership.member ? undefined : 'not a member of the consumer group (yet): joining');
    },
    commit: async (offsets) => {
      const mine = offsets.filter((offset) => offset.topic === topic && ownership.holds(offset.partition) === 'owned');
      if (mine.length === 0) return;
      await consumer.commitOffsets(mine);
      for (const { partition, offset } of mine) {
        const highWatermark = highWatermarks.get(partition);
        if (highWatermark !== undefined) metrics.consumerLag.set({ partition: String(partition) }, Number(highWatermark - BigInt(offset)));
      }
    },
    pause: () => {
      paused = true;
      consumer.pause(topic);
    },
    disconnect: async () => {
      paused = true;
      await consumer.stop();
      ownership.revoked();
    },
  };
}
