// The API tests' completed records: testkit's builders with the API's own made-up account, numbers and names, and
// figures that follow from the ring, talk and hold given (no answer without talk; the end after all three).
import type { CompletedLegRecord, SessionSummaryRecord } from '@callpulse/contracts';
import { legRecord, sessionRecord } from '@callpulse/testkit/records';

const party = { accountId: 'acc-7001', sessionId: '7000001', fromNumber: '+15550170001', toNumber: '+15550170999' };

export function leg(
  overrides: Partial<CompletedLegRecord> & Pick<CompletedLegRecord, 'telephonySessionId' | 'extensionId' | 'startMs'>,
): CompletedLegRecord {
  const { startMs } = overrides;
  const ringMs = overrides.ringMs ?? 4000;
  const talkMs = overrides.talkMs ?? 0;
  const holdMs = overrides.holdMs ?? 0;
  return legRecord({
    ...party,
    partyId: `${overrides.telephonySessionId}-p1`,
    fromName: 'Test Caller',
    toName: 'Test Agent',
    toExtensionId: overrides.extensionId,
    ringStartMs: startMs,
    answerMs: talkMs > 0 ? startMs + ringMs : 0,
    endMs: startMs + ringMs + talkMs + holdMs,
    ringMs,
    talkMs,
    holdMs,
    holdCount: holdMs > 0 ? 1 : 0,
    durationMs: ringMs + talkMs + holdMs,
    eventCount: 4,
    lastSequence: 4,
    ...overrides,
  });
}

/** A session summary of one leg, unanswered and not abandoned unless the test says otherwise. */
export function session(
  overrides: Partial<SessionSummaryRecord> & Pick<SessionSummaryRecord, 'telephonySessionId' | 'startMs' | 'queueId'>,
): SessionSummaryRecord {
  const { startMs } = overrides;
  return sessionRecord({
    ...party,
    endMs: startMs + 60000,
    durationMs: 60000,
    queueName: '',
    queueEnterMs: startMs + 1000,
    firstAnswerMs: 0,
    waitMs: 0,
    answeredByExtensionId: '',
    legCount: 1,
    eventCount: 6,
    lastSequence: 6,
    ...overrides,
  });
}
