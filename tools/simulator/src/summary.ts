// The end-of-run summary of a simulation, for people.
import type { SimulationSummary } from './simulation.js';

const secondsText = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatSummary(summary: SimulationSummary): string {
  const s = summary;
  const scenarios = Object.entries(s.perScenario)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `    ${name.padEnd(28)} ${count}`)
    .join('\n');
  const lines = [
    `[${s.label}] ${s.aborted ? 'stopped' : 'finished'}: ${secondsText(s.wallMs)} wall, ${secondsText(s.simulatedMs)} simulated (speed ${s.speed}, seed ${s.seed})`,
    `  account: ${s.extensions} agents${s.directory ? `, directory seeded (${s.directory.extensions} extensions, ${s.directory.monitored} monitored)` : ', directory not seeded'}`,
    `  calls: ${s.callsStarted} started, ${s.callsDelivered} fully delivered, ${s.callsFailed} failed, ${s.callsCutOff} cut off${s.callsHungUp > 0 ? ` (${s.callsHungUp} hung up)` : ''}, ${s.callsSkipped} skipped (not enough free agents)`,
    `  events: ${s.eventsSent} acknowledged (${s.duplicatesSent} duplicates), ${s.delayedEvents} delayed past later ones, ${s.retries} retries, ${s.errors} errors`,
    `  rate: ${(s.eventsSent / Math.max(0.001, s.wallMs / 1000)).toFixed(1)} events/s, ${(s.callsStarted / Math.max(0.001, s.wallMs / 1000)).toFixed(2)} calls/s wall`,
    s.truthFile
      ? `  truth: ${s.legsInTruth} legs and ${s.sessionsInTruth} sessions in ${s.truthFile}`
      : '  truth: not written (no --truth)',
  ];
  if (scenarios) lines.push('  scenarios:', scenarios);
  if (s.errorSamples.length > 0) lines.push('  errors seen:', ...s.errorSamples.map((reason) => `    ${reason}`));
  return `${lines.join('\n')}\n`;
}
