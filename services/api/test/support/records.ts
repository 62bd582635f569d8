// The API tests' own completed records (made-up ids, numbers and names), shaped like call-state's output.
import type { CompletedLegRecord, SessionSummaryRecord } from '@callpulse/contracts';

export function leg(
  overrides: Partial<CompletedLegRecord> & Pick<CompletedLegRecord, 'telephonySessionId' | 'extensionId' | 'startMs'>,
): CompletedLegRecord {
  const { startMs } = overrides;
  const ringMs = overrides.ringMs ?? 4000;
  const talkMs = overrides.talkMs ?? 0;
  const holdMs = overrides.holdMs ?? 0;
  return {
    kind: 'leg',
    schemaVersion: 1,
    version: 1,
    accountId: 'acc-7001',
    sessionId: '7000001',
    partyId: `${overrides.telephonySessionId}-p1`,
    direction: 'Inbound',
    originType: 'Call',
    fromNumber: '+15550170001',
    fromName: 'Test Caller',
    fromExtensionId: '',
    toNumber: '+15550170999',
    toName: 'Test Agent',
    toExtensionId: overrides.extensionId,
    queueCall: false,
    queueId: '',
    queueName: '',
    result: 'Answered',
    endReason: '',
    endStatus: 'Disconnected',
    endedBy: 'customer',
    endedDuringHold: false,
    missedCall: false,
    ringStartMs: startMs,
    answerMs: talkMs > 0 ? startMs + ringMs : 0,
    endMs: startMs + ringMs + talkMs + holdMs,
    ringMs,
    talkMs,
    holdMs,
    holdCount: holdMs > 0 ? 1 : 0,
    durationMs: ringMs + talkMs + holdMs,
    parkId: '',
    recorded: false,
    peerTelephonySessionId: '',
    eventCount: 4,
    lastSequence: 4,
    ...overrides,
  };
}

export function session(
  overrides: Partial<SessionSummaryRecord> & Pick<SessionSummaryRecord, 'telephonySessionId' | 'startMs' | 'queueId'>,
): SessionSummaryRecord {
  const { startMs } = overrides;
  return {
    kind: 'session',
    schemaVersion: 1,
    version: 1,
    accountId: 'acc-7001',
    sessionId: '7000001',
    originType: 'Call',
    direction: 'Inbound',
    fromNumber: '+15550170001',
    toNumber: '+15550170999',
    endMs: startMs + 60000,
    durationMs: 60000,
    queueName: '',
    queueEnterMs: startMs + 1000,
    firstAnswerMs: 0,
    waitMs: 0,
    answeredByExtensionId: '',
    abandoned: false,
    legCount: 1,
    eventCount: 6,
    lastSequence: 6,
    ...overrides,
  };
}
