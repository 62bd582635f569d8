// The project's own completed records for tests (made-up ids, numbers and names; modelled on call-state's output).
import type { CompletedLegRecord, SessionSummaryRecord } from '@callpulse/contracts';

const base = Date.UTC(2024, 4, 14, 9, 0, 0); // 2024-05-14 09:00 UTC

export function legRecord(overrides: Partial<CompletedLegRecord> = {}): CompletedLegRecord {
  const startMs = overrides.startMs ?? base;
  return {
    kind: 'leg',
    schemaVersion: 1,
    version: 1,
    accountId: 'acc-100',
    telephonySessionId: 's-test-1',
    sessionId: '9000001',
    partyId: 'p-test-1',
    extensionId: 'ext-201',
    direction: 'Inbound',
    originType: 'Call',
    fromNumber: '+15550100001',
    fromName: 'Caller One',
    fromExtensionId: '',
    toNumber: '+15550100999',
    toName: 'Agent Two',
    toExtensionId: 'ext-201',
    queueCall: false,
    queueId: '',
    queueName: '',
    result: 'Answered',
    endReason: '',
    endStatus: 'Disconnected',
    endedBy: 'customer',
    endedDuringHold: false,
    missedCall: false,
    startMs,
    ringStartMs: startMs,
    answerMs: startMs + 4000,
    endMs: startMs + 64000,
    ringMs: 4000,
    talkMs: 50000,
    holdMs: 10000,
    holdCount: 1,
    durationMs: 64000,
    parkId: '',
    recorded: false,
    peerTelephonySessionId: '',
    eventCount: 5,
    lastSequence: 5,
    ...overrides,
  };
}

export function sessionRecord(overrides: Partial<SessionSummaryRecord> = {}): SessionSummaryRecord {
  const startMs = overrides.startMs ?? base;
  return {
    kind: 'session',
    schemaVersion: 1,
    version: 1,
    accountId: 'acc-100',
    telephonySessionId: 's-test-1',
    sessionId: '9000001',
    originType: 'Call',
    direction: 'Inbound',
    fromNumber: '+15550100001',
    toNumber: '+15550100999',
    startMs,
    endMs: startMs + 64000,
    durationMs: 64000,
    queueId: 'q-300',
    queueName: 'Support',
    queueEnterMs: startMs + 1000,
    firstAnswerMs: startMs + 16000,
    waitMs: 15000,
    answeredByExtensionId: 'ext-201',
    abandoned: false,
    legCount: 2,
    eventCount: 9,
    lastSequence: 9,
    ...overrides,
  };
}

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
