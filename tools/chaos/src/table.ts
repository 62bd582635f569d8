// The chaos run's one table for people (faults with their times, legs expected, lost, doubled, wrong, amended,
// unplanned exits, time to drain, the verdict), then the details behind any non-zero figure.
import { formatAmendments, type VerifyReport } from '@callpulse/simulator';
import type { ChaosFigures } from './result.js';
import type { ExitRecord } from './supervisor.js';

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;
const percent = (part: number, whole: number) => (whole === 0 ? '0.00 %' : `${((100 * part) / whole).toFixed(2)} %`);

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatFigures(f: ChaosFigures): string {
  const rows: string[][] = [];
  for (const fault of f.faults) {
    const recovery = fault.failed ? 'NOT RECOVERED' : `ready again after ${seconds(fault.readyAfterMs)}`;
    rows.push([`fault at ${clock(fault.atMs)}`, fault.name, `${fault.what}; ${recovery}`]);
  }
  const t = f.traffic;
  rows.push(
    [
      'traffic',
      `${clock(t.wallMs)}`,
      `${t.callsDelivered} calls delivered, ${t.callsFailed} failed, ${t.eventsSent} events (${t.duplicatesSent} duplicates), ${t.retries} retries`,
    ],
    ['legs expected', String(f.legs.expected), `${f.sessions.expected} sessions`],
    ['lost', String(f.legs.lost), `legs missing from ClickHouse; sessions: ${f.sessions.lost}`],
    [
      'doubled',
      String(f.legs.doubled),
      `legs with several latest rows; sessions: ${f.sessions.doubled}; extra legs: ${f.legs.extra}, sessions: ${f.sessions.extra}`,
    ],
    ['wrong', String(f.legs.wrong), `legs with a wrong field; sessions: ${f.sessions.wrong}${fieldList(f.wrongFields)}`],
    [
      'amended',
      String(f.amended.legs),
      `${percent(f.amended.legs, f.legs.expected)} of legs had a final version > 1; sessions: ${f.amended.sessions}`,
    ],
    [
      '  delayed past grace',
      String(f.amended.delayedPastGrace),
      `their session had an event delivered > ${f.setup.graceMs} ms after its time`,
    ],
    [
      '  other',
      String(f.amended.other),
      `${f.amended.otherPercent.toFixed(2)} % of legs${fieldList(f.amended.changedFields, 'first version wrong in')}`,
    ],
    [
      '  skipped',
      String(f.amended.onlyFinalProduced ?? 0),
      'only the final version was ever produced (earlier ones allocated, their sends failed): nobody saw another',
    ],
  );
  rows.push(['version conflicts', String(f.versionConflicts), 'leg versions produced twice with different contents']);
  const exits = Object.entries(f.unplannedExits);
  rows.push([
    'unplanned exits',
    String(exits.reduce((sum, [, n]) => sum + n, 0)),
    exits.map(([id, n]) => `${id}: ${n}`).join(', ') || 'none',
  ]);
  rows.push(['time to drain', seconds(f.drainMs), f.drained ? 'after the traffic and the schedule ended' : 'DID NOT DRAIN']);
  rows.push(['verdict', f.ok ? 'OK' : 'FAIL', f.ok ? 'no leg lost, doubled or wrong; no unplanned exit' : f.failures.join('; ')]);
  return `${table(['what', 'figure', 'details'], rows)}\n`;
}

function fieldList(fields: Record<string, number>, label = 'fields'): string {
  const entries = Object.entries(fields).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return entries.length === 0 ? '' : `; ${label}: ${entries.map(([field, n]) => `${field} ${n}`).join(', ')}`;
}

/** What is behind the figures: every difference, the unplanned exits with the end of their logs, the amendments. */
export function formatDetails(f: ChaosFigures, report: VerifyReport, exits: readonly ExitRecord[], maxRows: number): string {
  const out: string[] = [];
  const problems: string[][] = [];
  const ref = (what: string, leg: { scenario: string; call: number; telephonySessionId: string; partyId: string }, rest: string[]) => [
    what,
    leg.scenario,
    String(leg.call),
    leg.telephonySessionId,
    leg.partyId || '-',
    ...rest,
  ];
  for (const leg of report.legs.missing) problems.push(ref('lost leg', leg, ['', leg.result, '(none)']));
  for (const leg of report.legs.duplicated) problems.push(ref('doubled leg', leg, ['(rows)', '1', '>1']));
  for (const leg of report.legs.extra) problems.push(ref('extra leg', leg, ['', '(none)', leg.result]));
  for (const session of report.sessions.missing) problems.push(ref('lost session', session, ['', 'a row', '(none)']));
  for (const session of report.sessions.duplicated) problems.push(ref('doubled session', session, ['(rows)', '1', '>1']));
  for (const session of report.sessions.extra ?? []) problems.push(ref('extra session', session, ['', '(none)', 'a row']));
  for (const d of report.differences) problems.push(ref(`wrong ${d.kind}`, d, [d.field, String(d.expected), String(d.actual)]));
  if (problems.length > 0) {
    out.push(`differences (${problems.length}${problems.length > maxRows ? `, first ${maxRows}` : ''}):`);
    out.push(
      table(['what', 'scenario', 'call', 'telephony session', 'party', 'field', 'expected', 'actual'], problems.slice(0, maxRows)),
      '',
    );
  }
  for (const exit of exits) {
    out.push(
      `unplanned exit of ${exit.id} (pid ${exit.pid}) with ${exit.signal ?? `code ${exit.code}`} after ${seconds(exit.ranMs)} ` +
        `at ${new Date(exit.atMs).toISOString()}; end of its log:`,
      ...exit.logTail.split('\n').map((line) => `    ${line}`),
      '',
    );
  }
  const notes = f.faults.filter((fault) => fault.notes.length > 0);
  if (notes.length > 0) {
    out.push('fault notes:', ...notes.map((fault) => `  ${fault.name}: ${fault.notes.join('; ')}`), '');
  }
  if (report.amendments.amended > 0) out.push(...formatAmendments(report.amendments, maxRows), '');
  return out.join('\n');
}
