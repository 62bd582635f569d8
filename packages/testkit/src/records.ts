// Made-up completed records and live leg snapshots for tests (ids, numbers and names of no one): an answered inbound
// call of one agent unless a test overrides what it varies. Shaped like call-state's output. And records cut to what a
// scenario's ground truth states, to compare them with it.
import { type CompletedLegRecord, type LiveLegSnapshot, RECORD_SCHEMA_VERSION, type SessionSummaryRecord } from '@callpulse/contracts';
import type { ExpectedLeg, ExpectedSummary } from './scenarios/types.js';

/** 2024-05-14 09:00 UTC: the default start of a test call. */
export const TEST_CALL_START_MS = Date.UTC(2024, 4, 14, 9, 0, 0);

/** A completed leg: rings 4 s, talks 50 s with 10 s on hold, the customer hangs up. */
export function legRecord(overrides: Partial<CompletedLegRecord> = {}): CompletedLegRecord {
  const startMs = overrides.startMs ?? TEST_CALL_START_MS;
  return {
    kind: 'leg',
    schemaVersion: RECORD_SCHEMA_VERSION,
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

/** The summary of legRecord's call: queued 1 s in, answered after a 15 s wait. */
export function sessionRecord(overrides: Partial<SessionSummaryRecord> = {}): SessionSummaryRecord {
  const startMs = overrides.startMs ?? TEST_CALL_START_MS;
  return {
    kind: 'session',
    schemaVersion: RECORD_SCHEMA_VERSION,
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

/** A live leg of extension 101, ringing since 1000 (epoch ms), nothing else reached yet. */
export function liveLeg(overrides: Partial<LiveLegSnapshot> = {}): LiveLegSnapshot {
  return {
    telephonySessionId: 's-1',
    partyId: 'p-1',
    extensionId: '101',
    accountId: null,
    direction: 'Inbound',
    status: 'Ringing',
    statusCode: 'Proceeding',
    statusSinceMs: 1000,
    from: { phoneNumber: '+15550100', name: 'Caller', extensionId: null },
    to: { phoneNumber: null, name: 'Dana', extensionId: '101' },
    queueId: null,
    queueName: null,
    startMs: 1000,
    ringStartMs: 1000,
    answerMs: null,
    endMs: null,
    ringMs: 0,
    talkMs: 0,
    holdMs: 0,
    holdCount: 0,
    ended: false,
    result: null,
    endedBy: null,
    lastSequence: 1,
    muted: false,
    conferenceRole: null,
    updatedAtMs: 1000,
    ...overrides,
  };
}

/** The fields of a completed leg that a scenario's ground truth states (ExpectedLeg). */
export const expectedLegFields = [
  'telephonySessionId',
  'partyId',
  'extensionId',
  'direction',
  'result',
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
] as const satisfies ReadonlyArray<keyof ExpectedLeg & keyof CompletedLegRecord>;

/** The fields of a session summary that a scenario's ground truth states (ExpectedSummary). */
export const expectedSummaryFields = [
  'telephonySessionId',
  'direction',
  'startMs',
  'endMs',
  'queueId',
  'queueEnterMs',
  'firstAnswerMs',
  'waitMs',
  'answeredByExtensionId',
  'abandoned',
  'legCount',
] as const satisfies ReadonlyArray<keyof ExpectedSummary & keyof SessionSummaryRecord>;

function pick<T, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

/** A completed leg as the ground truth states it. */
export const expectedLegOf = (record: CompletedLegRecord): ExpectedLeg => pick(record, expectedLegFields);

/** A session summary as the ground truth states it. */
export const expectedSummaryOf = (record: SessionSummaryRecord): ExpectedSummary => pick(record, expectedSummaryFields);
