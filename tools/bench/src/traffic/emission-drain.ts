// When call-state's emission of a drained backlog was done: reads the completed-calls topic from where it ended
// before the drain, and finds, for every leg and session summary the backlog owes (the scenarios' ground truth), the
// time its first record was appended (the record's Kafka timestamp, set by the worker's producer when it sent it).
// The drain's clock stops at the latest of those, so emission is counted, not just committed offsets.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from '@callpulse/platform';
import { type ExpectedRecords, legKey } from './backlog-messages.js';

export interface EmissionSeen {
  legs: number;
  summaries: number;
  missingLegs: number;
  missingSummaries: number;
  /** Records of any kind read (party events included). */
  records: number;
  /** Epoch ms of the last owed record's first append; null when some were never seen. */
  lastAtMs: number | null;
}

/** The end of every partition of `topic` now (where a drain's records will start); empty when it does not exist. */
export async function partitionEnds(admin: Admin, topic: string): Promise<Map<number, string>> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) return new Map();
  return new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, high]));
}

/** Pure: the outcome from the first-append times of the owed records that were seen. */
export function emissionOutcome(expected: ExpectedRecords, firstSeen: Map<string, number>, records: number): EmissionSeen {
  let legs = 0;
  let summaries = 0;
  let last = 0;
  for (const leg of expected.legs) {
    const at = firstSeen.get(`leg:${leg}`);
    if (at === undefined) continue;
    legs += 1;
    last = Math.max(last, at);
  }
  for (const session of expected.summaries) {
    const at = firstSeen.get(`session:${session}`);
    if (at === undefined) continue;
    summaries += 1;
    last = Math.max(last, at);
  }
  const missingLegs = expected.legs.size - legs;
  const missingSummaries = expected.summaries.size - summaries;
  return { legs, summaries, missingLegs, missingSummaries, records, lastAtMs: missingLegs + missingSummaries === 0 ? last : null };
}

/**
 * Reads `topic` from `from` (partition ends before the drain; a partition not in it from its start) until every owed
 * record was seen or `waitMs` passed.
 */
export async function awaitEmission(
  kafka: Kafka,
  topic: string,
  from: Map<number, string>,
  expected: ExpectedRecords,
  waitMs: number,
): Promise<EmissionSeen> {
  const firstSeen = new Map<string, number>();
  let records = 0;
  const consumer = kafka.consumer({ groupId: `${topic}-bench-drain-${randomUUID()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const note = (key: string, at: number) => {
      const seen = firstSeen.get(key);
      if (seen === undefined || at < seen) firstSeen.set(key, at);
    };
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const fromOffset = BigInt(from.get(batch.partition) ?? '0');
        for (const message of batch.messages) {
          if (BigInt(message.offset) < fromOffset || !message.value) continue;
          records += 1;
          const value = message.value;
          const at = Number(message.timestamp);
          if (value.includes('"kind":"session"')) {
            note(`session:${String(message.key)}`, at);
          } else if (value.includes('"kind":"leg"')) {
            const record = JSON.parse(value.toString('utf8')) as { telephonySessionId: string; partyId: string };
            note(`leg:${legKey(record.telephonySessionId, record.partyId)}`, at);
          }
        }
      },
    });
    for (const [partition, offset] of from) consumer.seek({ topic, partition, offset });
    const deadline = performance.now() + waitMs;
    for (;;) {
      const outcome = emissionOutcome(expected, firstSeen, records);
      if (outcome.lastAtMs !== null || performance.now() > deadline) return outcome;
      await sleep(200);
    }
  } finally {
    await consumer.disconnect();
  }
}
