// Reporting's set of completed calls for tests, made with testkit's record builders (made-up ids, numbers and names).
import type { CompletedLegRecord, SessionSummaryRecord } from '@callpulse/contracts';
import { TEST_CALL_START_MS as base, legRecord, sessionRecord } from '@callpulse/testkit/records';

/** A varied set: `sessions` calls, each with two legs of different extensions and results, and a summary. */
export function callSet(prefix: string, sessions: number): Array<CompletedLegRecord | SessionSummaryRecord> {
  const results = ['Answered', 'Missed', 'Voicemail', 'Answered', 'Cancelled'] as const;
  const records: Array<CompletedLegRecord | SessionSummaryRecord> = [];
  for (let i = 0; i < sessions; i++) {
    const telephonySessionId = `${prefix}-s${i}`;
    const startMs = base + i * 7 * 60_000 + (i % 3) * 137;
    const answered = i % 4 !== 1;
    for (let p = 0; p < 2; p++) {
      const result = p === 0 ? (results[i % results.length] ?? 'Answered') : 'Missed';
      records.push(
        legRecord({
          telephonySessionId,
          partyId: `${prefix}-p${i}-${p}`,
          extensionId: `ext-${200 + ((i + p) % 4)}`,
          direction: i % 5 === 4 ? 'Outbound' : 'Inbound',
          result,
          startMs,
          ringStartMs: startMs,
          ringMs: 1000 + i * 10 + p,
          talkMs: result === 'Answered' ? 20000 + i * 100 : 0,
          holdMs: result === 'Answered' ? (i % 3) * 1500 : 0,
          holdCount: result === 'Answered' ? i % 3 : 0,
          missedCall: result === 'Missed',
          queueCall: i % 2 === 0,
          queueId: i % 2 === 0 ? 'q-300' : '',
        }),
      );
    }
    records.push(
      sessionRecord({
        telephonySessionId,
        startMs,
        queueId: i % 2 === 0 ? 'q-300' : '',
        queueName: i % 2 === 0 ? 'Support' : '',
        firstAnswerMs: answered ? startMs + 5000 + i * 1000 : 0,
        waitMs: answered ? 5000 + i * 1000 : 0,
        abandoned: !answered,
      }),
    );
  }
  return records;
}
