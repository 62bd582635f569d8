// The chaos figures and verdict from a verification report, the faults and the exits, and the one table: plain data.
import type { AmendmentReport, SimulationSummary, VerifyReport } from '@callpulse/simulator';
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../src/inject.js';
import { chaosFigures } from '../src/result.js';
import type { ExitRecord } from '../src/supervisor.js';
import { formatDetails, formatFigures } from '../src/table.js';

const ref = (partyId: string, telephonySessionId = 's-1') => ({
  scenario: 'queue-answered',
  call: 7,
  telephonySessionId,
  partyId,
  extensionId: '600000001',
  result: 'Answered',
});

const amendments: AmendmentReport = {
  source: 'topic',
  legs: 400,
  amended: 7,
  delayedPastGrace: 4,
  other: 2,
  onlyFinalProduced: 1,
  graceMs: 3000,
  changedFields: { startMs: 2 },
  changesUnknown: 0,
  sessionsAmended: 1,
  details: [],
  conflicts: [],
};

function report(overrides: Partial<VerifyReport> = {}): VerifyReport {
  return {
    ok: true,
    truthFile: undefined,
    run: undefined,
    drain: {
      drained: true,
      waitedMs: 8200,
      status: { callStateBehind: 0, reportingBehind: 0, pendingEmissions: 0, legs: 400, sessions: 260 },
    },
    legs: { expected: 400, found: 400, missing: [], extra: [], duplicated: [] },
    sessions: { expected: 260, found: 260, missing: [], duplicated: [] },
    differences: [],
    resultCounts: [],
    amendments,
    ...overrides,
  };
}

const simulation = {
  wallMs: 185_000,
  callsDelivered: 259,
  callsFailed: 0,
  callsCutOff: 0,
  eventsSent: 2697,
  duplicatesSent: 140,
  retries: 310,
  errors: 0,
} as SimulationSummary;

const fault = (name: string, failed = false): FaultRecord => ({
  name,
  what: `${name} applied`,
  atMs: 8000,
  backAfterMs: 2000,
  readyAfterMs: failed ? undefined : 9600,
  notes: failed ? ['not ready 120 s after the fault: api (503)'] : [],
  failed,
});

const inputs = (over: { report?: VerifyReport; faults?: FaultRecord[]; exits?: ExitRecord[] } = {}) => ({
  seed: 102,
  startedAt: '2026-11-30T05:40:00.000Z',
  setup: { workers: 2, extensions: 200, callsPerSecond: 1.5, speed: 60, disorder: 0.1, duplicates: 0.05, graceMs: 3000 },
  simulation,
  faults: over.faults ?? [fault('kill-call-state-1')],
  exits: over.exits ?? [],
  report: over.report ?? report(),
});

describe('chaosFigures', () => {
  it('passes an exact run and prints one table with the faults, the legs, the amendments and the drain', () => {
    const figures = chaosFigures(inputs());
    expect(figures).toMatchObject({
      ok: true,
      failures: [],
      legs: { expected: 400, lost: 0, doubled: 0, extra: 0, wrong: 0 },
      amended: { legs: 7, delayedPastGrace: 4, other: 2, otherPercent: 0.5, onlyFinalProduced: 1 },
      versionConflicts: 0,
      unplannedExits: {},
      drainMs: 8200,
    });
    const text = formatFigures(figures);
    expect(text).toMatch(/fault at 0:08 +kill-call-state-1 +kill-call-state-1 applied; ready again after 9\.6 s/);
    expect(text).toMatch(/legs expected +400 +260 sessions/);
    expect(text).toMatch(/amended +7 +1\.75 % of legs/);
    expect(text).toMatch(/ {2}delayed past grace +4/);
    expect(text).toMatch(/ {2}other +2 +0\.50 % of legs; first version wrong in: startMs 2/);
    expect(text).toMatch(/ {2}skipped +1 +only the final version was ever produced/);
    expect(text).toMatch(/time to drain +8\.2 s/);
    expect(text).toMatch(/verdict +OK/);
  });

  it('fails on lost, doubled, extra and wrong legs, wrong sessions, unplanned exits, unrecovered faults and no drain', () => {
    const wrong = (partyId: string, field: string) => ({ ...ref(partyId), kind: 'leg' as const, field, expected: 1, actual: 2 });
    const bad = report({
      ok: false,
      drain: { ...report().drain, drained: false, waitedMs: 180_000 },
      legs: { expected: 400, found: 401, missing: [ref('p-1')], extra: [ref('p-9')], duplicated: [ref('p-2')] },
      differences: [wrong('p-3', 'talkMs'), wrong('p-3', 'holdMs'), wrong('p-4', 'startMs'), { ...wrong('', 'waitMs'), kind: 'session' }],
    });
    const exit: ExitRecord = {
      id: 'call-state-2',
      pid: 42,
      atMs: 0,
      code: 1,
      signal: null,
      ranMs: 12_000,
      logTail: 'KafkaJSNonRetriableError',
    };
    const figures = chaosFigures(inputs({ report: bad, faults: [fault('kill-kafka', true)], exits: [exit, exit] }));
    expect(figures.ok).toBe(false);
    expect(figures.legs).toEqual({ expected: 400, lost: 1, doubled: 1, extra: 1, wrong: 2 });
    expect(figures.sessions.wrong).toBe(1);
    expect(figures.wrongFields).toEqual({ 'leg.talkMs': 1, 'leg.holdMs': 1, 'leg.startMs': 1, 'session.waitMs': 1 });
    expect(figures.failures).toEqual([
      '1 lost legs',
      '1 doubled legs',
      '1 extra legs',
      '2 wrong legs',
      '1 wrong sessions',
      '2 unplanned process exits (call-state-2 2)',
      '1 faults not recovered from (kill-kafka)',
      'the pipeline did not drain within 180 s',
    ]);
    const text = formatFigures(figures);
    expect(text).toMatch(/fault at 0:08 +kill-kafka +.*NOT RECOVERED/);
    expect(text).toMatch(/unplanned exits +2 +call-state-2: 2/);
    expect(text).toMatch(/verdict +FAIL +1 lost legs; .*did not drain/);
    const details = formatDetails(figures, bad, [exit], 30);
    expect(details).toMatch(/lost leg +queue-answered +7 +s-1 +p-1/);
    expect(details).toMatch(/wrong leg +queue-answered +7 +s-1 +p-3 +talkMs +1 +2/);
    expect(details).toMatch(/unplanned exit of call-state-2 \(pid 42\) with code 1 .*\n +KafkaJSNonRetriableError/);
    expect(details).toMatch(/kill-kafka: not ready 120 s after the fault/);
  });

  it('fails on one version produced twice with different contents', () => {
    const conflict = { ...ref('p-5'), version: 1, fields: ['talkMs'] };
    const figures = chaosFigures(inputs({ report: report({ amendments: { ...amendments, conflicts: [conflict] } }) }));
    expect(figures).toMatchObject({ ok: false, versionConflicts: 1, failures: ['1 leg versions produced twice with different contents'] });
  });
});
