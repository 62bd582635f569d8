// Amended legs: those whose final version is above 1, i.e. whose first record was not the last word. Pure code over
// plain rows: how many, how many of them had an event delivered later than the grace (late on the wire, not the
// pipeline's doing), and which fields the first stored version got wrong.
import type { Truth, TruthLeg } from '../truth.js';
import { byLeg, type LegRef, legFields, type Value } from './compare.js';
import type { LegRow } from './rows.js';

export interface FieldChange {
  field: string;
  first: Value;
  final: Value;
}

export interface AmendedLeg extends LegRef {
  finalVersion: number;
  /** The lowest version found (in the legs log a merge may have collapsed older ones). */
  firstStoredVersion: number;
  /** Fields that differ between that version and the final one; undefined when only the final version is stored. */
  changes: FieldChange[] | undefined;
  /**
   * Record fields verify does not compare (eventCount, lastSequence, endStatus, ...) that differ between the first
   * and the last record; only when the versions were read from the topic.
   */
  otherChanges: string[] | undefined;
  /** The largest delivery delay of the leg's session in the truth (undefined: the truth does not say). */
  deliveryDelayMs: number | undefined;
  delayedPastGrace: boolean;
  /**
   * Read from the topic, where every record is, and only the final version is there: the earlier versions were
   * allocated but never produced (their sends failed, e.g. while Kafka was down), so no consumer saw a first record
   * other than this one. Counted apart from late and other.
   */
  onlyFinalProduced: boolean;
}

export interface VersionConflict extends LegRef {
  version: number;
  /** Fields on which two records of this one version differ. */
  fields: string[];
}

export interface AmendmentReport {
  /** Where the earlier versions were read: the legs log in ClickHouse, or the completed-calls topic. */
  source: 'legs-log' | 'topic';
  /** Truth legs found in legs_latest. */
  legs: number;
  /** Of those, legs with a final version above 1. */
  amended: number;
  /** Amended legs of sessions with an event delivered more than `graceMs` after its event time. */
  delayedPastGrace: number;
  /** Amended legs of sessions delivered within the grace: the pipeline's first record was wrong on its own account. */
  other: number;
  /** Legs whose final version is above 1 but the only one ever produced (AmendedLeg.onlyFinalProduced; topic only). */
  onlyFinalProduced: number;
  graceMs: number;
  /** Per field, how many amended legs had it changed between the first stored and the final version. */
  changedFields: Record<string, number>;
  /** Amended legs whose first version is no longer stored, so their changes are unknown. */
  changesUnknown: number;
  /** Sessions with a final version above 1. */
  sessionsAmended: number;
  /** The amended legs, "other" ones first, by session and party. */
  details: AmendedLeg[];
  /** Legs with two records of one version that say different things (one version must have one content). */
  conflicts: VersionConflict[];
}

const legKey = (row: { telephonySessionId: string; partyId: string }) => `${row.telephonySessionId}|${row.partyId}`;

const comparedFields: Array<(typeof legFields)[number] | 'endReason'> = [...legFields, 'endReason'];

function changesBetween(first: LegRow, final: LegRow): FieldChange[] {
  return comparedFields
    .filter((field) => first[field] !== final[field])
    .map((field) => ({ field, first: first[field], final: final[field] }));
}

const notCompared = (field: string) =>
  !(comparedFields as string[]).includes(field) && !['kind', 'schemaVersion', 'version'].includes(field);

function otherChangesBetween(first: LegRow | undefined, last: LegRow | undefined): string[] | undefined {
  if (!first?.record || !last?.record || first.version >= last.version) return undefined;
  const a = first.record;
  const b = last.record;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter(notCompared)
    .filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}

function conflictsOf(truth: Truth, storedRows: readonly LegRow[]): VersionConflict[] {
  const byVersion = new Map<string, LegRow>();
  const found = new Map<string, VersionConflict>();
  const truthLegs = new Map(truth.legs.map((leg) => [legKey(leg), leg]));
  for (const row of storedRows) {
    const key = `${legKey(row)}|${row.version}`;
    const seen = byVersion.get(key);
    if (!seen) {
      byVersion.set(key, row);
      continue;
    }
    const fields = changesBetween(seen, row).map((change) => change.field);
    const leg = truthLegs.get(legKey(row));
    if (fields.length === 0 || !leg) continue;
    const conflict = found.get(key) ?? { ...refOf(leg), version: row.version, fields: [] };
    conflict.fields = [...new Set([...conflict.fields, ...fields])];
    found.set(key, conflict);
  }
  return [...found.values()].sort(byLeg);
}

/**
 * Amendments of the truth's legs, from the final rows (legs_latest) and the earlier versions of those legs (the +1 rows
 * of the legs log, or every record of the completed-calls topic). Legs the pipeline doubled or lost are the
 * comparison's business; here a leg counts once, by its highest version.
 */
export function amendmentsOf(
  truth: Truth,
  finalRows: readonly LegRow[],
  storedRows: readonly LegRow[],
  sessionVersions: readonly number[],
  graceMs: number,
  source: AmendmentReport['source'] = 'legs-log',
): AmendmentReport {
  const finals = new Map<string, LegRow>();
  for (const row of finalRows) {
    const seen = finals.get(legKey(row));
    if (!seen || row.version > seen.version) finals.set(legKey(row), row);
  }
  const firsts = new Map<string, LegRow>();
  const lasts = new Map<string, LegRow>();
  for (const row of storedRows) {
    const seen = firsts.get(legKey(row));
    if (!seen || row.version < seen.version) firsts.set(legKey(row), row);
    const latest = lasts.get(legKey(row));
    if (!latest || row.version > latest.version) lasts.set(legKey(row), row);
  }
  const details: AmendedLeg[] = [];
  let legs = 0;
  for (const leg of truth.legs) {
    const final = finals.get(legKey(leg));
    if (!final) continue;
    legs += 1;
    if (final.version <= 1) continue;
    const first = firsts.get(legKey(leg));
    const firstStoredVersion = Math.min(first?.version ?? final.version, final.version);
    details.push({
      ...refOf(leg),
      finalVersion: final.version,
      firstStoredVersion,
      changes: first && first.version < final.version ? changesBetween(first, final) : undefined,
      otherChanges: otherChangesBetween(first, lasts.get(legKey(leg))),
      deliveryDelayMs: leg.deliveryDelayMs,
      delayedPastGrace: (leg.deliveryDelayMs ?? 0) > graceMs,
      onlyFinalProduced: source === 'topic' && (first === undefined || first.version >= final.version),
    });
  }
  const changedFields: Record<string, number> = {};
  for (const amended of details) {
    for (const { field } of amended.changes ?? []) changedFields[field] = (changedFields[field] ?? 0) + 1;
  }
  const onlyFinalProduced = details.filter((amended) => amended.onlyFinalProduced).length;
  const delayedPastGrace = details.filter((amended) => amended.delayedPastGrace && !amended.onlyFinalProduced).length;
  return {
    source,
    legs,
    amended: details.length,
    delayedPastGrace,
    other: details.length - delayedPastGrace - onlyFinalProduced,
    onlyFinalProduced,
    graceMs,
    changedFields,
    changesUnknown: details.filter((amended) => amended.changes === undefined).length,
    sessionsAmended: sessionVersions.filter((version) => version > 1).length,
    details: details.sort((a, b) => whyRank(a) - whyRank(b) || byLeg(a, b)),
    conflicts: conflictsOf(truth, storedRows),
  };
}

/** Why a leg was amended: 'other' (the pipeline's own), 'late' (delivered past the grace) or 'skipped' (onlyFinalProduced). */
export function amendedWhy(leg: AmendedLeg): 'other' | 'late' | 'skipped' {
  if (leg.onlyFinalProduced) return 'skipped';
  return leg.delayedPastGrace ? 'late' : 'other';
}

const whyRank = (leg: AmendedLeg) => ['other', 'late', 'skipped'].indexOf(amendedWhy(leg));

const refOf = (leg: TruthLeg): LegRef => ({
  scenario: leg.scenario,
  call: leg.call,
  telephonySessionId: leg.telephonySessionId,
  partyId: leg.partyId,
  extensionId: leg.extensionId,
  result: leg.result,
});
