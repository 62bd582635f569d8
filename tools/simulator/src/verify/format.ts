// The verification report as text tables, for people.
import { type AmendedLeg, type AmendmentReport, amendedWhy } from './amendments.js';
import type { LegRef, Value } from './compare.js';
import type { DrainStatus } from './drain.js';
import type { VerifyReport } from './run.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const show = (value: Value) => (typeof value === 'string' ? (value === '' ? "''" : value) : String(value));

/** How far the drain got: messages sent before verify started that each consumer group has yet to commit. */
export function drainText(status: DrainStatus): string {
  const pending = status.pendingEmissions === undefined ? 'not checked' : String(status.pendingEmissions);
  const reporting = status.reportingBehind === undefined ? 'waits for call-state' : `${status.reportingBehind} behind`;
  return `call-state ${status.callStateBehind} behind, reporting ${reporting}, pending emissions ${pending}`;
}

const percent = (part: number, whole: number) => (whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(2)} %`);

function changeText(leg: AmendedLeg): string {
  if (leg.onlyFinalProduced) return '(only the final version was ever produced)';
  if (leg.changes === undefined) return '(first version not stored)';
  const verified = leg.changes.map((c) => `${c.field} ${show(c.first)}->${show(c.final)}`).join('; ');
  if (verified !== '') return verified;
  return leg.otherChanges === undefined
    ? '(no verified field)'
    : `(no verified field; in the record: ${leg.otherChanges.join(', ') || 'nothing either'})`;
}

/** The amended legs: counts, the fields the first record got wrong, and a sample (pipeline-caused ones first). */
export function formatAmendments(amendments: AmendmentReport, maxRows = 50): string[] {
  const a = amendments;
  const out = [
    `amended legs (final version > 1): ${a.amended} of ${a.legs} (${percent(a.amended, a.legs)}); ` +
      `${a.delayedPastGrace} of sessions with an event delivered more than ${a.graceMs} ms late, ${a.other} other ` +
      `(${percent(a.other, a.legs)})` +
      (a.onlyFinalProduced > 0 ? `, ${a.onlyFinalProduced} with only their final version ever produced (skipped)` : '') +
      `; ${a.sessionsAmended} sessions amended`,
  ];
  if (a.conflicts.length > 0) {
    out.push(
      `  VERSION CONFLICTS: ${a.conflicts.length} leg versions were produced twice with different contents:`,
      table(
        ['scenario', 'call', 'telephony session', 'party', 'version', 'differing fields'],
        a.conflicts
          .slice(0, maxRows)
          .map((c) => [c.scenario, String(c.call), c.telephonySessionId, c.partyId, String(c.version), c.fields.join(', ')]),
      ),
    );
  }
  if (a.amended === 0) return out;
  const fields = Object.entries(a.changedFields).sort(([x, m], [y, n]) => n - m || x.localeCompare(y));
  out.push(
    `  fields the first version got wrong: ${fields.map(([field, count]) => `${field} ${count}`).join(', ') || 'none'}` +
      (a.changesUnknown > 0
        ? `; ${a.changesUnknown} legs with only their final version ${a.source === 'topic' ? 'recorded' : 'stored (merged; --first-versions topic reads them all)'}`
        : ''),
  );
  const rows = a.details
    .slice(0, maxRows)
    .map((leg) => [
      amendedWhy(leg),
      leg.scenario,
      String(leg.call),
      leg.telephonySessionId,
      leg.partyId,
      `${leg.firstStoredVersion}->${leg.finalVersion}`,
      leg.deliveryDelayMs === undefined ? '?' : String(leg.deliveryDelayMs),
      changeText(leg),
    ]);
  out.push(
    `  ${a.details.length > maxRows ? `first ${maxRows}:` : 'all:'}`,
    table(['why', 'scenario', 'call', 'telephony session', 'party', 'versions', 'delay ms', 'first -> final'], rows),
  );
  return out;
}

export function formatReport(report: VerifyReport, maxRows = 50): string {
  const out: string[] = [];
  const run = report.run ? ` (run "${report.run.label}", seed ${report.run.seed}, speed ${report.run.speed})` : '';
  out.push(`verify ${report.truthFile ?? 'truth'}${run}: ${report.legs.expected} legs, ${report.sessions.expected} sessions expected`);
  const { status } = report.drain;
  out.push(
    `${report.drain.drained ? 'pipeline drained' : 'PIPELINE DID NOT DRAIN'} after ${(report.drain.waitedMs / 1000).toFixed(1)} s ` +
      `(${drainText(status)}, ${status.legs} legs and ${status.sessions} sessions in ClickHouse)`,
  );
  out.push('', 'legs by result:');
  const totals = report.resultCounts.reduce(
    (sum, entry) => ({ expected: sum.expected + entry.expected, actual: sum.actual + entry.actual }),
    {
      expected: 0,
      actual: 0,
    },
  );
  const countRows = [...report.resultCounts, { result: 'total', ...totals }].map((entry) => {
    const diff = entry.actual - entry.expected;
    return [entry.result, String(entry.expected), String(entry.actual), diff === 0 ? '' : diff > 0 ? `+${diff}` : String(diff)];
  });
  out.push(table(['result', 'expected', 'actual', 'diff'], countRows));

  const problems: string[][] = [];
  const ref = (kind: string, leg: Omit<LegRef, 'result'>, field: string, expected: string, actual: string) => [
    kind,
    leg.scenario,
    String(leg.call),
    leg.telephonySessionId,
    leg.partyId || '-',
    leg.extensionId || '-',
    field,
    expected,
    actual,
  ];
  for (const leg of report.legs.missing) problems.push(ref('missing leg', leg, 'result', leg.result, '(none)'));
  for (const leg of report.legs.extra) problems.push(ref('extra leg', leg, 'result', '(none)', leg.result));
  for (const session of report.sessions.extra ?? []) problems.push(ref('extra session', session, 'summary', '(none)', 'a summary'));
  for (const leg of report.legs.duplicated) problems.push(ref('duplicate leg', leg, '(rows)', '1', '>1'));
  for (const session of report.sessions.missing) problems.push(ref('missing session', session, '(summary)', 'a row', '(none)'));
  for (const session of report.sessions.duplicated) problems.push(ref('duplicate session', session, '(rows)', '1', '>1'));
  for (const d of report.differences) problems.push(ref(`wrong ${d.kind}`, d, d.field, show(d.expected), show(d.actual)));
  out.push('');
  if (problems.length === 0) out.push('differences: none');
  else {
    out.push(`differences (${problems.length}${problems.length > maxRows ? `, first ${maxRows} shown` : ''}):`);
    out.push(
      table(
        ['what', 'scenario', 'call', 'telephony session', 'party', 'extension', 'field', 'expected', 'actual'],
        problems.slice(0, maxRows),
      ),
    );
  }
  out.push('', ...formatAmendments(report.amendments, maxRows));
  const wrongFields = new Set(report.differences.map((d) => `${d.telephonySessionId}|${d.partyId}`)).size;
  out.push(
    '',
    `${report.ok ? 'OK' : 'FAIL'}: ${report.legs.missing.length} missing, ${report.legs.extra.length} extra, ` +
      `${report.legs.duplicated.length} duplicated legs; ${report.sessions.missing.length} missing sessions; ` +
      `${report.differences.length} wrong fields on ${wrongFields} legs/sessions${report.drain.drained ? '' : '; not drained'}`,
  );
  return `${out.join('\n')}\n`;
}
