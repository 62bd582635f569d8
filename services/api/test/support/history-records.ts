// The history test's calls (services/api/test/history.test.ts), also loaded by the chdb compatibility check
// (tools/chdb-compat): legs of three extensions over two days, one of them an id with SQL in it, queue sessions, and an
// amended leg. Made-up ids, numbers and names.
import type { CompletedRecord } from '@callpulse/contracts';
import { leg, session } from './records.js';

const at = (iso8601: string) => Date.parse(iso8601);

export const historyExtensions = {
  A: 'ext-a100',
  /** A stored id with SQL in it: it must match exactly, as data. */
  B: "ext-b'; DROP TABLE legs; --",
  C: 'ext-c300',
};

/** The first version of every record, and the amendments after them (only version 2 of s-h6 counts). */
export function historyRecords(): { first: CompletedRecord[]; amendments: CompletedRecord[] } {
  const { A, B, C } = historyExtensions;
  return {
    first: [
      leg({
        telephonySessionId: 's-h1',
        extensionId: A,
        startMs: at('2026-03-02T08:10:00Z'),
        ringMs: 4000,
        talkMs: 60000,
        holdMs: 10000,
        queueId: 'q-1',
        queueName: 'Support Line',
      }),
      leg({
        telephonySessionId: 's-h2',
        extensionId: A,
        startMs: at('2026-03-02T08:40:00Z'),
        ringMs: 20000,
        result: 'Missed',
        missedCall: true,
        queueId: 'q-1',
        queueName: 'Support Line',
      }),
      leg({
        telephonySessionId: 's-h3',
        extensionId: B,
        startMs: at('2026-03-02T09:20:00Z'),
        ringMs: 6000,
        talkMs: 120000,
        direction: 'Outbound',
        toNumber: '+15550188877',
      }),
      leg({ telephonySessionId: 's-h4', extensionId: B, startMs: at('2026-03-02T09:35:00Z'), ringMs: 15000, result: 'Voicemail' }),
      leg({
        telephonySessionId: 's-h5',
        extensionId: C,
        startMs: at('2026-03-03T01:00:00Z'),
        ringMs: 2000,
        talkMs: 30000,
        holdMs: 5000,
        holdCount: 2,
      }),
      leg({ telephonySessionId: 's-h6', extensionId: A, startMs: at('2026-03-02T09:05:00Z'), ringMs: 3000, talkMs: 1000 }),
      session({
        telephonySessionId: 's-h1',
        startMs: at('2026-03-02T08:10:00Z'),
        queueId: 'q-1',
        queueName: 'Support Line',
        firstAnswerMs: at('2026-03-02T08:10:16Z'),
        waitMs: 15000,
      }),
      session({
        telephonySessionId: 's-h2',
        startMs: at('2026-03-02T08:40:00Z'),
        queueId: 'q-1',
        queueName: 'Support Line',
        abandoned: true,
        endMs: at('2026-03-02T08:40:31Z'),
      }),
      session({
        telephonySessionId: 's-h7',
        startMs: at('2026-03-02T10:00:00Z'),
        queueId: 'q-1',
        queueName: 'Support Line',
        firstAnswerMs: at('2026-03-02T10:00:26Z'),
        waitMs: 25000,
      }),
      session({
        telephonySessionId: 's-h8',
        startMs: at('2026-03-02T11:00:00Z'),
        queueId: 'q-2',
        queueName: 'Sales',
        firstAnswerMs: at('2026-03-02T11:00:06Z'),
        waitMs: 5000,
      }),
    ],
    amendments: [
      leg({ telephonySessionId: 's-h6', extensionId: A, startMs: at('2026-03-02T09:05:00Z'), ringMs: 3000, talkMs: 90000, version: 2 }),
    ],
  };
}
