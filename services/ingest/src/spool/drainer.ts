// Sends the spool to Kafka in order, a batch at a time: the checkpoint moves past a record only after Kafka
// acknowledged it (and every record before it). While Kafka fails it backs off and tries the same records again,
// so a record may reach Kafka twice (call-state deduplicates by sequence and party), never zero times.
import { type Topics, topicNames } from '@callpulse/contracts';
import type { Logger, Message } from '@callpulse/platform';
import type { SpoolRecord } from './segment-file.js';
import type { Spool } from './spool.js';

/** What the drainer needs of the producer: one message, settled when Kafka acknowledged it. */
export interface DrainTarget {
  send(topic: string, message: Message, timeoutMs?: number): Promise<void>;
}

export interface DrainerOptions {
  spool: Spool;
  target: DrainTarget;
  logger: Logger;
  /** Records per round (sent together, in order). */
  batchRecords: number;
  /** Longest wait for Kafka's acknowledgement of a round. */
  sendTimeoutMs: number;
  /** Resolves once Kafka is usable (topics exist); the drainer waits for it before its first send. */
  kafkaReady: Promise<void>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onDrained?: (records: number) => void;
  /**
   * The topic a record recorded for `topic` goes to now (e.g. after KAFKA_TOPIC_PREFIX changed), or undefined for a
   * retired topic: the record is dropped. Default: as recorded.
   */
  topicFor?: (topic: string) => string | undefined;
}

export interface Drainer {
  /** The last failure while Kafka has not acknowledged anything since; undefined when draining works. */
  readonly failing: string | undefined;
  /** Waits up to `ms` for the spool to empty while Kafka takes it, then stops; the caller closes the spool. */
  stop(ms?: number): Promise<void>;
}

export function toMessage(record: SpoolRecord): Message {
  return { key: record.key, value: record.value, headers: record.headers };
}

const SPOOLED_ROLES = ['telephonySessions', 'ingestDeadLetter'] as const;
/**
 * Topics ingest no longer writes. callpulse.rc-events held the other RingCentral events, which nothing read (an
 * extension change goes to the directory directly): what an older version spooled for it is dropped.
 */
const RETIRED_TOPICS = ['callpulse.rc-events'];

/**
 * Records spooled under another KAFKA_TOPIC_PREFIX go to this instance's topic of the same role (telephony sessions,
 * dead letters), and records of a retired topic are dropped, each with a warning once per topic: a spool must never
 * stall on a topic that is gone.
 */
export function spooledTopicMapper(topics: Topics, logger: Logger): (topic: string) => string | undefined {
  const ours = new Set(SPOOLED_ROLES.map((role) => topics[role]));
  const base = topicNames('');
  const warned = new Set<string>();
  return (topic) => {
    if (ours.has(topic)) return topic;
    if (RETIRED_TOPICS.some((retired) => topic.endsWith(retired))) {
      if (!warned.has(topic)) {
        warned.add(topic);
        logger.warn({ recorded: topic }, 'spooled records of a retired topic are dropped');
      }
      return undefined;
    }
    const role = SPOOLED_ROLES.find((candidate) => topic.endsWith(base[candidate]));
    if (!role) return topic;
    if (!warned.has(topic)) {
      warned.add(topic);
      logger.warn({ recorded: topic, now: topics[role] }, "spooled records of another topic prefix go to this instance's topic");
    }
    return topics[role];
  };
}

export function startDrainer(options: DrainerOptions): Drainer {
  const { spool, target, logger } = options;
  const minBackoffMs = options.minBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const topicFor = options.topicFor ?? ((topic: string) => topic);
  let running = true;
  let failing: string | undefined;
  let backoffMs = minBackoffMs;
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const pause = (ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), stopped]).finally(() => clearTimeout(timer));
  };

  async function round(): Promise<void> {
    const entries = await spool.read(options.batchRecords);
    if (entries.length === 0) return;
    const results = await Promise.allSettled(
      entries.map((entry) => {
        const topic = topicFor(entry.record.topic);
        return topic === undefined ? Promise.resolve() : target.send(topic, toMessage(entry.record), options.sendTimeoutMs);
      }),
    );
    const firstFailure = results.findIndex((result) => result.status === 'rejected');
    const acknowledged = firstFailure === -1 ? entries.length : firstFailure;
    if (acknowledged > 0) {
      await spool.acknowledge(acknowledged);
      options.onDrained?.(acknowledged);
    }
    if (firstFailure === -1) {
      if (failing !== undefined) logger.info({ left: spool.backlog }, 'Kafka takes the spool again');
      failing = undefined;
      backoffMs = minBackoffMs;
      return;
    }
    const reason = ((results[firstFailure] as PromiseRejectedResult).reason as Error).message;
    if (failing === undefined) logger.warn({ reason, left: spool.backlog }, 'draining the spool to Kafka failed; retrying with backoff');
    failing = reason;
    await pause(backoffMs);
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  }

  const loop = (async () => {
    await Promise.race([options.kafkaReady, stopped]);
    while (running) {
      await Promise.race([spool.waitForRecords(), stopped]);
      if (!running) break;
      try {
        await round();
      } catch (err) {
        logger.error({ err }, 'reading the spool failed');
        await pause(maxBackoffMs);
      }
    }
  })();

  return {
    get failing() {
      return failing;
    },
    async stop(ms = 0) {
      const deadline = Date.now() + ms;
      while (running && spool.backlog > 0 && failing === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      running = false;
      stopRequested();
      await loop;
    },
  };
}
