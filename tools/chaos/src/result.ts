// The figures of a chaos run, taken from the verification report, the faults applied and the supervisor's exits, and
// the verdict: it fails on any lost, doubled, extra or wrong leg or session, any unplanned exit, a fault the pipeline
// did not recover from, or a pipeline that did not drain. Pure code over plain data.
import type { SimulationSummary, VerifyReport } from '@callpulse/simulator';
import type { FaultRecord } from './inject.js';
import type { ExitRecord } from './supervisor.js';

export interface ChaosFigures {
  seed: number;
  startedAt: string;
  /** The options that shape the traffic and the pipeline. */
  setup: {
    workers: number;
    extensions: number;
    callsPerSecond: number;
    speed: number;
    disorder: number;
    duplicates: number;
    graceMs: number;
  };
  traffic: {
    wallMs: number;
    callsDelivered: number;
    callsFailed: number;
    callsCutOff: number;
    eventsSent: number;
    duplicatesSent: number;
    retries: number;
    errors: number;
  };
  faults: FaultRecord[];
  legs: {
    expected: number;
    /** Missing from ClickHouse. */
    lost: number;
    /** More than one latest row. */
    doubled: number;
    /** Rows of the truth's sessions the truth does not have. */
    extra: number;
    /** Legs with at least one wrong field. */
    wrong: number;
  };
  sessions: { expected: number; lost: number; doubled: number; extra: number; wrong: number };
  /** Fields wrong, by field name (legs and sessions). */
  wrongFields: Record<string, number>;
  amended: {
    legs: number;
    delayedPastGrace: number;
    other: number;
    otherPercent: number;
    /** Final version above 1, but the only one ever produced (the earlier sends failed): no consumer saw another. */
    onlyFinalProduced: number;
    sessions: number;
    changedFields: Record<string, number>;
  };
  /** Leg versions produced twice with different contents (one version must have one content). */
  versionConflicts: number;
  unplannedExits: Record<string, number>;
  drained: boolean;
  drainMs: number;
  ok: boolean;
  /** Why the run failed, one reason a line (empty when ok). */
  failures: string[];
}

export interface ChaosInputs {
  seed: number;
  startedAt: string;
  setup: ChaosFigures['setup'];
  simulation: SimulationSummary;
  faults: FaultRecord[];
  exits: ExitRecord[];
  report: VerifyReport;
}

const distinct = (items: ReadonlyArray<{ telephonySessionId: string; partyId: string }>) =>
  new Set(items.map((item) => `${item.telephonySessionId}|${item.partyId}`)).size;

export function chaosFigures(inputs: ChaosInputs): ChaosFigures {
  const { report, simulation: sim } = inputs;
  const legDifferences = report.differences.filter((d) => d.kind === 'leg');
  const sessionDifferences = report.differences.filter((d) => d.kind === 'session');
  const wrongFields: Record<string, number> = {};
  for (const d of report.differences) wrongFields[`${d.kind}.${d.field}`] = (wrongFields[`${d.kind}.${d.field}`] ?? 0) + 1;
  const unplannedExits: Record<string, number> = {};
  for (const exit of inputs.exits) unplannedExits[exit.id] = (unplannedExits[exit.id] ?? 0) + 1;
  const a = report.amendments;
  const figures: ChaosFigures = {
    seed: inputs.seed,
    startedAt: inputs.startedAt,
    setup: inputs.setup,
    traffic: {
      wallMs: sim.wallMs,
      callsDelivered: sim.callsDelivered,
      callsFailed: sim.callsFailed,
      callsCutOff: sim.callsCutOff,
      eventsSent: sim.eventsSent,
      duplicatesSent: sim.duplicatesSent,
      retries: sim.retries,
      errors: sim.errors,
    },
    faults: inputs.faults,
    legs: {
      expected: report.legs.expected,
      lost: report.legs.missing.length,
      doubled: report.legs.duplicated.length,
      extra: report.legs.extra.length,
      wrong: distinct(legDifferences),
    },
    sessions: {
      expected: report.sessions.expected,
      lost: report.sessions.missing.length,
      doubled: report.sessions.duplicated.length,
      extra: report.sessions.extra?.length ?? 0,
      wrong: new Set(sessionDifferences.map((d) => d.telephonySessionId)).size,
    },
    wrongFields,
    amended: {
      legs: a.amended,
      delayedPastGrace: a.delayedPastGrace,
      other: a.other,
      otherPercent: a.legs === 0 ? 0 : (100 * a.other) / a.legs,
      onlyFinalProduced: a.onlyFinalProduced,
      sessions: a.sessionsAmended,
      changedFields: a.changedFields,
    },
    versionConflicts: a.conflicts.length,
    unplannedExits,
    drained: report.drain.drained,
    drainMs: report.drain.waitedMs,
    ok: false,
    failures: [],
  };
  figures.failures = failuresOf(figures);
  figures.ok = figures.failures.length === 0;
  return figures;
}

function failuresOf(f: ChaosFigures): string[] {
  const failures: string[] = [];
  const count = (n: number, what: string) => {
    if (n > 0) failures.push(`${n} ${what}`);
  };
  count(f.legs.lost, 'lost legs');
  count(f.legs.doubled, 'doubled legs');
  count(f.legs.extra, 'extra legs');
  count(f.legs.wrong, 'wrong legs');
  count(f.sessions.lost, 'lost sessions');
  count(f.sessions.doubled, 'doubled sessions');
  count(f.sessions.extra, 'extra sessions');
  count(f.sessions.wrong, 'wrong sessions');
  count(f.versionConflicts, 'leg versions produced twice with different contents');
  const exits = Object.values(f.unplannedExits).reduce((sum, n) => sum + n, 0);
  count(
    exits,
    `unplanned process exits (${Object.entries(f.unplannedExits)
      .map(([id, n]) => `${id} ${n}`)
      .join(', ')})`,
  );
  count(
    f.faults.filter((fault) => fault.failed).length,
    `faults not recovered from (${f.faults
      .filter((x) => x.failed)
      .map((x) => x.name)
      .join(', ')})`,
  );
  if (!f.drained) failures.push(`the pipeline did not drain within ${(f.drainMs / 1000).toFixed(0)} s`);
  if (f.legs.expected === 0) failures.push('no leg was delivered: nothing was verified');
  return failures;
}
