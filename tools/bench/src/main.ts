// npm run bench: runs the parts of the benchmark suite on this machine, prints the table (stdout) and optionally
// writes it as JSON (--out). Every process it starts is stopped by pid and everything it creates is removed at the end,
// on error and on Ctrl-C (except the reusable reporting dataset, see docs/benchmarks.md).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgsError, type BenchArgs, type PartName, parseBenchArgs, usage } from './args.js';
import { describeMachine } from './machine.js';
import { parts } from './parts/index.js';
import { summariseProfiles } from './profile.js';
import type { PartResult } from './report/result.js';
import { renderTable } from './report/table.js';
import { Cleanup, withCleanup } from './support/cleanup.js';
import { progress } from './support/context.js';

function readArgs(): BenchArgs {
  try {
    const args = parseBenchArgs(process.argv.slice(2));
    if (args === 'help') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return args;
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    process.stderr.write(`bench: ${err.message}\n${usage}\n`);
    process.exit(2);
  }
}

async function runPart(name: PartName, args: BenchArgs, root: Cleanup): Promise<PartResult> {
  const log = progress(name);
  const profileDir = args.profile ? mkdtempSync(join(tmpdir(), `callpulse-bench-${name}-`)) : undefined;
  const started = performance.now();
  log(`starting${args.quick ? ' (quick)' : ''}`);
  let result: PartResult;
  try {
    const measured = await withCleanup(root, (cleanup) =>
      parts[name]({ quick: args.quick, cleanup, profileDir, log, capacity: args.capacity }),
    );
    result = { ...measured, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? err}`);
    result = { part: name, figures: [], notes: [], error: (err as Error).message, seconds: (performance.now() - started) / 1000 };
  }
  if (profileDir) result.notes.push(...summariseProfiles(profileDir));
  log(`done in ${Math.round(result.seconds)} s`);
  return result;
}

const args = readArgs();
const root = new Cleanup();
// First Ctrl-C: stop every process and remove what was created now; the part in progress then fails and the bench
// exits with 130 after its clean-up. A second Ctrl-C exits at once.
let interrupted = false;
const interrupt = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write(`[bench] ${signal}: stopping what the bench started and removing what it created (again to quit at once)\n`);
  root.runAll().catch(() => undefined);
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const machine = await describeMachine(args.quick ? 'quick' : 'full');
const results: PartResult[] = [];
for (const name of args.only) {
  if (interrupted) break;
  results.push(await runPart(name, args, root));
}
await root.runAll();
if (interrupted) process.exit(130);

const table = renderTable(machine, results);
process.stdout.write(`\n${table}\n`);
if (args.out) {
  writeFileSync(args.out, `${JSON.stringify({ machine, args, parts: results, table }, null, 2)}\n`);
  process.stderr.write(`[bench] results written to ${args.out}\n`);
}
process.exit(results.some((result) => result.error) ? 1 : 0);
