// Compares the pipeline's legs and session summaries with the ground truth: pure code over plain rows.
import { expectedLegFields, expectedSummaryFields } from '@callpulse/testkit/records';
import type { Truth, TruthLeg, TruthSession } from '../truth.js';
import type { LegRow, SessionRow } from './rows.js';

export type Value = string | number | boolean;

export interface Difference {
  kind: 'leg' | 'session';
  scenario: string;
  call: number;
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  field: string;
  expected: Value;
  actual: Value;
}

export interface LegRef {
  scenario: string;
  call: number;
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  result: string;
}

export interface Comparison {
  legs: { expected: number; found: number; missing: LegRef[]; extra: LegRef[]; duplicated: LegRef[] };
  /** extra: session summaries of the truth's sessions the truth has none of (a no-call session's, say). */
  sessions: { expected: number; found: number; missing: LegRef[]; duplicated: LegRef[]; extra: LegRef[] };
  differences: Difference[];
  resultCounts: Array<{ result: string; expected: number; actual: number }>;
}

/** The ground truth's fields besides the ids a leg or session is matched by, in the truth's order. */
const compared = <F extends string>(field: F): field is Exclude<F, 'telephonySessionId' | 'partyId'> =>
  field !== 'telephonySessionId' && field !== 'partyId';

/** The leg fields compared: the ground truth's (testkit's expectedLegFields, one list) but the ids. */
export const legFields = expectedLegFields.filter(compared) satisfies ReadonlyArray<keyof TruthLeg & keyof LegRow>;

/** The session-summary fields compared: the ground truth's (expectedSummaryFields) but the id. */
const sessionFields = expectedSummaryFields.filter(compared) satisfies ReadonlyArray<keyof TruthSession & keyof SessionRow>;

/** Whole-count fields are exact; times and durations (ms) may differ by the tolerance. */
const exactNumbers = new Set(['holdCount', 'legCount']);

function differs(field: string, expected: Value, actual: Value, toleranceMs: number): boolean {
  if (typeof expected === 'number' && typeof actual === 'number' && !exactNumbers.has(field))
    return Math.abs(expected - actual) > toleranceMs;
  return expected !== actual;
}

const legKey = (row: { telephonySessionId: string; partyId: string }) => `${row.telephonySessionId}|${row.partyId}`;

/** Report order: by session, then party (a session's own differences first); a leg's fields stay in check order. */
export const byLeg = (a: { telephonySessionId: string; partyId: string }, b: { telephonySessionId: string; partyId: string }) =>
  a.telephonySessionId.localeCompare(b.telephonySessionId) || a.partyId.localeCompare(b.partyId);

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
}

const refOfLeg = (leg: TruthLeg): LegRef => ({
  scenario: leg.scenario,
  call: leg.call,
  telephonySessionId: leg.telephonySessionId,
  partyId: leg.partyId,
  extensionId: leg.extensionId,
  result: leg.result,
});

export function compareWithTruth(
  truth: Truth,
  legRows: readonly LegRow[],
  sessionRows: readonly SessionRow[],
  toleranceMs = 1,
): Comparison {
  const differences: Difference[] = [];
  const rowsByLeg = groupBy(legRows, legKey);
  const truthKeys = new Set(truth.legs.map(legKey));
  const scenarioOf = new Map(truth.sessions.map((s) => [s.telephonySessionId, { scenario: s.scenario, call: s.call }]));
  for (const noCall of truth.noCalls ?? []) scenarioOf.set(noCall.telephonySessionId, { scenario: noCall.scenario, call: noCall.call });
  for (const leg of truth.legs) scenarioOf.set(leg.telephonySessionId, { scenario: leg.scenario, call: leg.call });

  const missing: LegRef[] = [];
  const duplicated: LegRef[] = [];
  for (const leg of truth.legs) {
    const rows = rowsByLeg.get(legKey(leg));
    const row = rows?.[0];
    if (!row) {
      missing.push(refOfLeg(leg));
      continue;
    }
    if ((rows?.length ?? 0) > 1) duplicated.push(refOfLeg(leg));
    const base = {
      kind: 'leg' as const,
      scenario: leg.scenario,
      call: leg.call,
      telephonySessionId: leg.telephonySessionId,
      partyId: leg.partyId,
      extensionId: leg.extensionId,
    };
    const checks: Array<[string, Value, Value]> = legFields.map((field) => [field, leg[field], row[field]]);
    if (leg.endReason !== undefined) checks.push(['endReason', leg.endReason, row.endReason]);
    for (const [field, expected, actual] of checks) {
      if (differs(field, expected, actual, toleranceMs)) differences.push({ ...base, field, expected, actual });
    }
  }
  const extra = legRows
    .filter((row) => !truthKeys.has(legKey(row)))
    .map(
      (row): LegRef => ({
        ...(scenarioOf.get(row.telephonySessionId) ?? { scenario: '?', call: -1 }),
        telephonySessionId: row.telephonySessionId,
        partyId: row.partyId,
        extensionId: row.extensionId,
        result: row.result,
      }),
    );

  const sessionRowsById = groupBy(sessionRows, (row) => row.telephonySessionId);
  const missingSessions: LegRef[] = [];
  const duplicatedSessions: LegRef[] = [];
  for (const session of truth.sessions) {
    const rows = sessionRowsById.get(session.telephonySessionId);
    const ref = {
      scenario: session.scenario,
      call: session.call,
      telephonySessionId: session.telephonySessionId,
      partyId: '',
      extensionId: '',
      result: '',
    };
    const row = rows?.[0];
    if (!row) {
      missingSessions.push(ref);
      continue;
    }
    if ((rows?.length ?? 0) > 1) duplicatedSessions.push(ref);
    for (const field of sessionFields) {
      if (differs(field, session[field], row[field], toleranceMs)) {
        differences.push({ ...ref, kind: 'session', field, expected: session[field], actual: row[field] });
      }
    }
  }

  const truthSessionIds = new Set(truth.sessions.map((session) => session.telephonySessionId));
  const extraSessions = sessionRows
    .filter((row) => !truthSessionIds.has(row.telephonySessionId))
    .map(
      (row): LegRef => ({
        ...(scenarioOf.get(row.telephonySessionId) ?? { scenario: '?', call: -1 }),
        telephonySessionId: row.telephonySessionId,
        partyId: '',
        extensionId: '',
        result: '',
      }),
    );

  const counts = new Map<string, { expected: number; actual: number }>();
  const count = (result: string, which: 'expected' | 'actual') => {
    const entry = counts.get(result) ?? { expected: 0, actual: 0 };
    entry[which] += 1;
    counts.set(result, entry);
  };
  for (const leg of truth.legs) count(leg.result, 'expected');
  for (const row of legRows) count(row.result, 'actual');
  return {
    legs: {
      expected: truth.legs.length,
      found: legRows.length,
      missing: missing.sort(byLeg),
      extra: extra.sort(byLeg),
      duplicated: duplicated.sort(byLeg),
    },
    sessions: {
      expected: truth.sessions.length,
      found: sessionRows.length,
      missing: missingSessions.sort(byLeg),
      duplicated: duplicatedSessions.sort(byLeg),
      extra: extraSessions.sort(byLeg),
    },
    differences: differences.sort(byLeg),
    resultCounts: [...counts].map(([result, entry]) => ({ result, ...entry })).sort((a, b) => a.result.localeCompare(b.result)),
  };
}

export function comparisonOk(comparison: Comparison): boolean {
  const { legs, sessions, differences, resultCounts } = comparison;
  return (
    legs.missing.length +
      legs.extra.length +
      legs.duplicated.length +
      sessions.missing.length +
      sessions.duplicated.length +
      sessions.extra.length +
      differences.length ===
      0 && resultCounts.every((entry) => entry.expected === entry.actual)
  );
}
