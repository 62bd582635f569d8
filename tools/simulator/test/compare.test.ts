// The verifier's comparison and amendment report (pure), the truth file reader's errors, and Retry-After parsing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outcomeOf, retryAfterMs } from '../src/send/webhook-client.js';
import { readTruth, type Truth, type TruthLeg, type TruthSession } from '../src/truth.js';
import { amendmentsOf } from '../src/verify/amendments.js';
import { compareWithTruth, comparisonOk } from '../src/verify/compare.js';
import { formatAmendments } from '../src/verify/format.js';
import { legRowOfRecord } from '../src/verify/record-versions.js';
import type { LegRow, SessionRow } from '../src/verify/rows.js';

const dir = mkdtempSync(join(tmpdir(), 'callpulse-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leg = (partyId: string, overrides: Partial<TruthLeg> = {}): TruthLeg => ({
  type: 'leg',
  call: 3,
  scenario: 'blind-transfer',
  telephonySessionId: 's-1',
  partyId,
  extensionId: `ext-${partyId}`,
  direction: 'Inbound',
  result: 'Answered',
  endedBy: 'customer',
  endedDuringHold: false,
  startMs: 1000,
  answerMs: 2000,
  endMs: 9000,
  ringMs: 1000,
  talkMs: 7000,
  holdMs: 0,
  holdCount: 0,
  durationMs: 8000,
  ...overrides,
});

const session: TruthSession = {
  type: 'session',
  call: 3,
  scenario: 'blind-transfer',
  telephonySessionId: 's-1',
  direction: 'Inbound',
  startMs: 900,
  endMs: 9100,
  queueId: '',
  queueEnterMs: 0,
  firstAnswerMs: 2000,
  waitMs: 1100,
  answeredByExtensionId: 'ext-p-1',
  abandoned: false,
  legCount: 2,
};

const rowOf = ({ type, call, scenario, endReason, ...rest }: TruthLeg): LegRow => ({ ...rest, endReason: endReason ?? '', version: 1 });
const sessionRowOf = ({ type, call, scenario, ...rest }: TruthSession): SessionRow => ({ ...rest, version: 1 });

describe('compareWithTruth', () => {
  const truth: Truth = {
    run: undefined,
    legs: [leg('p-1', { result: 'Transferred', endReason: 'BlindTransfer', endedBy: 'agent' }), leg('p-2')],
    sessions: [session],
  };

  it('finds nothing when the rows match, times within 1 ms', () => {
    const rows = truth.legs.map(rowOf);
    rows[1] = { ...(rows[1] as LegRow), talkMs: 7001, endMs: 8999, endReason: 'CallerHangup' };
    const comparison = compareWithTruth(truth, rows, [sessionRowOf(session)]);
    expect(comparison.differences).toEqual([]);
    expect(comparisonOk(comparison)).toBe(true);
    expect(comparison.resultCounts).toEqual([
      { result: 'Answered', expected: 1, actual: 1 },
      { result: 'Transferred', expected: 1, actual: 1 },
    ]);
  });

  it('finds a leg and a summary of a session that must give none (no call: a greeting recording)', () => {
    const withNoCall: Truth = {
      ...truth,
      noCalls: [{ type: 'no-call', call: 4, scenario: 'greeting-recording', telephonySessionId: 's-9' }],
    };
    const stray = { ...rowOf(leg('p-9')), telephonySessionId: 's-9' };
    const straySession = { ...sessionRowOf(session), telephonySessionId: 's-9' };
    const comparison = compareWithTruth(withNoCall, [...truth.legs.map(rowOf), stray], [sessionRowOf(session), straySession]);
    expect(comparison.legs.extra).toEqual([expect.objectContaining({ telephonySessionId: 's-9', scenario: 'greeting-recording' })]);
    expect(comparison.sessions.extra).toEqual([expect.objectContaining({ telephonySessionId: 's-9', scenario: 'greeting-recording' })]);
    expect(comparisonOk(comparison)).toBe(false);
  });

  it('names every wrong field: times off by 2 ms, counts off by one, results, who ended, the end reason the truth has', () => {
    const rows = truth.legs.map(rowOf);
    rows[0] = { ...(rows[0] as LegRow), endReason: '', endedBy: 'unknown' };
    rows[1] = { ...(rows[1] as LegRow), talkMs: 7002, holdCount: 1, result: 'Missed' };
    const comparison = compareWithTruth(truth, rows, [{ ...sessionRowOf(session), abandoned: true, waitMs: 1098 }]);
    expect(comparison.differences.map((d) => [d.kind, d.partyId, d.field, d.expected, d.actual])).toEqual([
      ['session', '', 'waitMs', 1100, 1098],
      ['session', '', 'abandoned', false, true],
      ['leg', 'p-1', 'endedBy', 'agent', 'unknown'],
      ['leg', 'p-1', 'endReason', 'BlindTransfer', ''],
      ['leg', 'p-2', 'result', 'Answered', 'Missed'],
      ['leg', 'p-2', 'talkMs', 7000, 7002],
      ['leg', 'p-2', 'holdCount', 0, 1],
    ]);
    expect(comparison.differences[0]).toMatchObject({ scenario: 'blind-transfer', call: 3, telephonySessionId: 's-1' });
    expect(comparison.resultCounts).toEqual([
      { result: 'Answered', expected: 1, actual: 0 },
      { result: 'Missed', expected: 0, actual: 1 },
      { result: 'Transferred', expected: 1, actual: 1 },
    ]);
    expect(comparisonOk(comparison)).toBe(false);
  });

  it('reports missing, extra and duplicated legs and missing sessions', () => {
    const rows = [rowOf(truth.legs[0] as TruthLeg), rowOf(truth.legs[0] as TruthLeg), { ...rowOf(leg('p-9')), result: 'Missed' }];
    const comparison = compareWithTruth(truth, rows, []);
    expect(comparison.legs.missing.map((ref) => ref.partyId)).toEqual(['p-2']);
    expect(comparison.legs.extra).toEqual([
      { scenario: 'blind-transfer', call: 3, telephonySessionId: 's-1', partyId: 'p-9', extensionId: 'ext-p-9', result: 'Missed' },
    ]);
    expect(comparison.legs.duplicated.map((ref) => ref.partyId)).toEqual(['p-1']);
    expect(comparison.sessions.missing.map((ref) => ref.telephonySessionId)).toEqual(['s-1']);
    expect(comparisonOk(comparison)).toBe(false);
  });
});

describe('amendmentsOf', () => {
  const truth: Truth = {
    run: undefined,
    legs: [
      leg('p-1', { deliveryDelayMs: 400 }),
      leg('p-2', { deliveryDelayMs: 400 }),
      leg('p-3', { telephonySessionId: 's-2', deliveryDelayMs: 5200 }),
      leg('p-4', { telephonySessionId: 's-3' }),
      leg('p-5', { telephonySessionId: 's-4', deliveryDelayMs: 0 }),
    ],
    sessions: [session],
  };
  const final = truth.legs.map(rowOf);
  // p-1 never amended; p-2 amended twice (v1 had no answer and the wrong result); p-3 amended, its session was
  // delivered 5.2 s late; p-4 amended with only its final version still stored; p-5 missing from ClickHouse.
  final[1] = { ...(final[1] as LegRow), version: 3 };
  final[2] = { ...(final[2] as LegRow), version: 2 };
  final[3] = { ...(final[3] as LegRow), version: 2 };
  final.pop();
  const stored: LegRow[] = [
    final[0] as LegRow,
    { ...(final[1] as LegRow), version: 1, result: 'Missed', answerMs: 0, talkMs: 0 },
    { ...(final[1] as LegRow), version: 2, talkMs: 0 },
    final[1] as LegRow,
    { ...(final[2] as LegRow), version: 1, endedBy: 'unknown' },
    final[2] as LegRow,
    final[3] as LegRow,
  ];

  it('counts legs with a final version above 1, the late-delivered ones apart, and names what the first version got wrong', () => {
    const report = amendmentsOf(truth, final, stored, [1, 2], 3000);
    expect(report).toMatchObject({
      legs: 4,
      amended: 3,
      delayedPastGrace: 1,
      other: 2,
      graceMs: 3000,
      changesUnknown: 1,
      sessionsAmended: 1,
    });
    expect(report.changedFields).toEqual({ result: 1, answerMs: 1, talkMs: 1, endedBy: 1 });
    expect(report.details.map((d) => [d.partyId, d.firstStoredVersion, d.finalVersion, d.delayedPastGrace, d.deliveryDelayMs])).toEqual([
      ['p-2', 1, 3, false, 400],
      ['p-4', 2, 2, false, undefined],
      ['p-3', 1, 2, true, 5200],
    ]);
    expect(report.details[0]?.changes).toEqual([
      { field: 'result', first: 'Missed', final: 'Answered' },
      { field: 'answerMs', first: 0, final: 2000 },
      { field: 'talkMs', first: 0, final: 7000 },
    ]);
    expect(report.details[1]?.changes).toBeUndefined();
    const text = formatAmendments(report).join('\n');
    expect(text).toMatch(/amended legs \(final version > 1\): 3 of 4 \(75\.00 %\); 1 of sessions .* more than 3000 ms late, 2 other/);
    expect(text).toMatch(/p-2 +1->3 +400 +result Missed->Answered; answerMs 0->2000; talkMs 0->7000/);
    expect(text).toMatch(/p-4 +2->2 +\? +\(first version not stored\)/);
  });

  it('names two records of one version that say different things (read from the topic, every record is there)', () => {
    const records = [...stored, { ...(final[0] as LegRow), talkMs: 6000 }, { ...(final[2] as LegRow) }];
    const report = amendmentsOf(truth, final, records, [], 3000, 'topic');
    expect(report.source).toBe('topic');
    expect(report.conflicts).toEqual([
      {
        scenario: 'blind-transfer',
        call: 3,
        telephonySessionId: 's-1',
        partyId: 'p-1',
        extensionId: 'ext-p-1',
        result: 'Answered',
        version: 1,
        fields: ['talkMs'],
      },
    ]);
    expect(formatAmendments(report).join('\n')).toMatch(/VERSION CONFLICTS: 1 leg versions .*\n(.*\n){2}.*p-1 +1 +talkMs/);
  });

  it('reads a completed-leg record of the topic as a row, and skips summaries and bytes that are not a record', () => {
    const record = { kind: 'leg', schemaVersion: 1, fromNumber: '+15550100', ...rowOf(leg('p-1')), version: 4 };
    expect(legRowOfRecord(Buffer.from(JSON.stringify(record)))).toEqual({ ...rowOf(leg('p-1')), version: 4, record });
    expect(legRowOfRecord(Buffer.from('{"kind":"session","version":1}'))).toBeUndefined();
    expect(legRowOfRecord(Buffer.from('not json'))).toBeUndefined();
    expect(legRowOfRecord(null)).toBeUndefined();
  });

  it('names the record fields verify does not compare when an amendment changed none of the verified ones', () => {
    const record = (row: LegRow, extra: Record<string, unknown>) => ({ ...row, record: { kind: 'leg', ...row, ...extra } });
    const v1 = record({ ...(final[2] as LegRow), version: 1 }, { eventCount: 5, lastSequence: 8, endStatus: 'Disconnected' });
    const v2 = record(final[2] as LegRow, { eventCount: 6, lastSequence: 9, endStatus: 'Disconnected' });
    const report = amendmentsOf(truth, final, [v1, v2], [], 3000, 'topic');
    const p3 = report.details.find((d) => d.partyId === 'p-3');
    expect(p3).toMatchObject({ changes: [], otherChanges: ['eventCount', 'lastSequence'] });
    expect(formatAmendments(report).join('\n')).toMatch(/p-3 +1->2 +5200 +\(no verified field; in the record: eventCount, lastSequence\)/);
  });

  it('read from the topic, a leg whose final version is the only one produced is "skipped", not late or other', () => {
    // p-4's version 1 was allocated but never produced (its send failed): only version 2 is in the topic.
    const report = amendmentsOf(truth, final, stored, [], 3000, 'topic');
    expect(report).toMatchObject({ amended: 3, delayedPastGrace: 1, other: 1, onlyFinalProduced: 1 });
    expect(report.details.map((d) => [d.partyId, d.onlyFinalProduced])).toEqual([
      ['p-2', false],
      ['p-3', false],
      ['p-4', true],
    ]);
    const text = formatAmendments(report).join('\n');
    expect(text).toMatch(/1 other \(25\.00 %\), 1 with only their final version ever produced \(skipped\)/);
    expect(text).toMatch(/skipped +blind-transfer .*p-4 +2->2 +\? +\(only the final version was ever produced\)/);
    // From the legs log (merges collapse versions) nothing can be called skipped.
    expect(amendmentsOf(truth, final, stored, [], 3000)).toMatchObject({ other: 2, onlyFinalProduced: 0 });
  });

  it('a larger grace moves late legs to "other"; no amendment gives one line', () => {
    expect(amendmentsOf(truth, final, stored, [], 6000)).toMatchObject({ amended: 3, delayedPastGrace: 0, other: 3 });
    const none = amendmentsOf(truth, truth.legs.map(rowOf), [], [1], 3000);
    expect(none).toMatchObject({ legs: 5, amended: 0, other: 0, details: [] });
    expect(formatAmendments(none)).toHaveLength(1);
  });
});

describe('readTruth', () => {
  it('names the file and line of a bad line', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify(session)}\n{"type":"leg","partyId":"p"}\n`);
    await expect(readTruth(file)).rejects.toThrow(`${file}:2: leg line has no string \`telephonySessionId\``);
    writeFileSync(file, '{"type":"leg",\n');
    await expect(readTruth(file)).rejects.toThrow(`${file}:1: not valid JSON`);
    writeFileSync(file, '{"type":"call"}\n');
    await expect(readTruth(file)).rejects.toThrow('unknown line type "call" (expected run, leg, session or no-call)');
    await expect(readTruth(join(dir, 'absent.jsonl'))).rejects.toThrow(/absent\.jsonl/);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it('accepts 2xx, retries 503/429 after Retry-After and other 5xx with back-off, and rejects 4xx with the body', () => {
    expect(outcomeOf(200, undefined, '')).toEqual({ kind: 'accepted' });
    expect(outcomeOf(503, '3', '{"error":"kafka"}')).toEqual({ kind: 'retry', afterMs: 3000, reason: 'HTTP 503: {"error":"kafka"}' });
    expect(outcomeOf(429, undefined, '')).toEqual({ kind: 'retry', afterMs: 1000, reason: 'HTTP 429' });
    expect(outcomeOf(502, undefined, '')).toEqual({ kind: 'retry', afterMs: undefined, reason: 'HTTP 502' });
    expect(outcomeOf(401, undefined, '{"error":"bad token"}')).toEqual({ kind: 'rejected', reason: 'HTTP 401: {"error":"bad token"}' });
  });
});
