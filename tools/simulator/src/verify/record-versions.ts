// Every completed-leg record call-state produced for the truth's sessions, read back from the completed-calls topic
// (from the beginning up to its end offsets when the read starts), as rows: what each version of a leg said, also after
// ClickHouse's merges collapsed the superseded versions in the legs log.
import { randomBytes } from 'node:crypto';
import type { Kafka } from '@callpulse/platform';
import type { LegRow } from './rows.js';

const legRowFields = [
  'telephonySessionId',
  'partyId',
  'extensionId',
  'direction',
  'result',
  'endReason',
  'endedBy',
  'endedDuringHold',
  'startMs',
  'answerMs',
  'endMs',
  'ringMs',
  'talkMs',
  'holdMs',
  'holdCount',
  'durationMs',
  'version',
] as const satisfies ReadonlyArray<keyof LegRow>;

/** A completed-leg record (JSON) as a leg row; undefined for anything else (session summaries, unreadable bytes). */
export function legRowOfRecord(bytes: Buffer | string | null): LegRow | undefined {
  if (bytes === null) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(bytes.toString()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object' || record.kind !== 'leg') return undefined;
  return { ...(Object.fromEntries(legRowFields.map((field) => [field, record[field]])) as unknown as LegRow), record };
}

export async function readRecordedLegVersions(
  kafka: Kafka,
  topic: string,
  sessionIds: ReadonlySet<string>,
  timeoutMs = 60_000,
): Promise<LegRow[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `callpulse-verify-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter(({ high, low }) => Number(high) > Number(low));
    const remaining = new Map(ends.map(({ partition, high }) => [partition, Number(high)]));
    const rows: LegRow[] = [];
    if (remaining.size === 0) return rows;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const end = remaining.get(partition);
        if (end === undefined || Number(message.offset) >= end) return;
        if (message.key && sessionIds.has(message.key.toString())) {
          const row = legRowOfRecord(message.value);
          if (row) rows.push(row);
        }
        if (Number(message.offset) + 1 >= end) remaining.delete(partition);
        if (remaining.size === 0) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${timeoutMs / 1000} s`)), timeoutMs);
    });
    await Promise.race([finished, timedOut]).finally(() => clearTimeout(timer));
    return rows;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
