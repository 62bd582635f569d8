#!/usr/bin/env node
import { UsageError } from './cli/flags.js';
// CLI: npm run simulate -- [flags]  (see --help and docs/simulator.md)
import { parseSimulateArgs, simulateHelp } from './cli/simulate-args.js';
import { runSimulation } from './simulation.js';
import { formatSummary } from './summary.js';

async function main(): Promise<number> {
  let command: ReturnType<typeof parseSimulateArgs>;
  try {
    command = parseSimulateArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`simulate: ${err.message}\nRun with --help for the flags.\n`);
    return 64;
  }
  if (command.help) {
    process.stdout.write(simulateHelp);
    return 0;
  }
  // Live, the first Ctrl-C hangs up the calls in progress (so no dashboard keeps them as live calls); else it stops at once.
  const controller = new AbortController();
  const hangUp = new AbortController();
  const live = command.options.live === true;
  const stop = () => {
    if (controller.signal.aborted || hangUp.signal.aborted) process.exit(130);
    process.stderr.write(`\nsimulate: ${live ? 'hanging up the calls in progress' : 'stopping'} (Ctrl-C again to quit at once)\n`);
    (live ? hangUp : controller).abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (command.options.live) {
    process.stdout.write('*** LIVE DEMO: SIMULATED TRAFFIC, not real calls. Ctrl-C hangs up and stops. ***\n');
  }
  const summary = await runSimulation(command.options, {
    signal: controller.signal,
    hangUp: hangUp.signal,
    progress: process.stdout,
    onError: (reason) => process.stderr.write(`simulate: ${reason}\n`),
  });
  process.stdout.write(formatSummary(summary));
  return summary.callsFailed > 0 || summary.errors > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`simulate: ${err.message}\n`);
    process.exit(1);
  },
);
