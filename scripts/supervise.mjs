#!/usr/bin/env node
// Supervises arbitrary commands the way npm start supervises the services (restart with backoff, none after exit
// status 78, Ctrl-C / SIGTERM / SIGHUP stops all by pid). For tests and fault drills:
//   node scripts/supervise.mjs [--label L] [--initial-delay-ms N] [--max-delay-ms N] [--stable-after-ms N]
//     [--stop-timeout-ms N] 'name=command args...' ...
// Each command runs through `sh -c 'exec ...'`, so its pid is the command's own. Exits 0 when stopped by a signal,
// 78 when a command exited with 78.
import { restartPolicy } from './supervise/policy.mjs';
import { createSupervisor } from './supervise/supervisor.mjs';

const flags = { label: 'supervise', policy: { ...restartPolicy }, stopTimeoutMs: 40000 };
const specs = [];
const args = process.argv.slice(2);
const numberFlags = {
  '--initial-delay-ms': (n) => (flags.policy.initialDelayMs = n),
  '--max-delay-ms': (n) => (flags.policy.maxDelayMs = n),
  '--stable-after-ms': (n) => (flags.policy.stableAfterMs = n),
  '--stop-timeout-ms': (n) => (flags.stopTimeoutMs = n),
};
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--label') flags.label = args[++i];
  else if (numberFlags[arg]) {
    const value = Number(args[++i]);
    if (!Number.isFinite(value) || value < 0) fail(`${arg} needs a number of milliseconds`);
    numberFlags[arg](value);
  } else if (/^[\w.-]+=./.test(arg)) {
    const at = arg.indexOf('=');
    specs.push({ name: arg.slice(0, at), command: '/bin/sh', args: ['-c', `exec ${arg.slice(at + 1)}`] });
  } else fail(`unknown argument ${arg}`);
}
if (specs.length === 0) fail("nothing to supervise: give 'name=command args...'");

function fail(message) {
  process.stderr.write(`supervise: ${message}\n`);
  process.exit(64);
}

let finishing = false;
async function finish(exitCode) {
  if (finishing) {
    supervisor.kill();
    return;
  }
  finishing = true;
  await supervisor.stop();
  process.exit(exitCode);
}

const supervisor = createSupervisor({ ...flags, onGiveUp: (_name, exit) => finish(exit.code ?? 1) });
process.on('SIGINT', () => finish(0));
process.on('SIGTERM', () => finish(0));
process.on('SIGHUP', () => finish(0));
// With the terminal gone, writes to it fail (EIO): the stop goes on without them instead of dying mid-way.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
for (const spec of specs) supervisor.run(spec);
process.stdout.write(
  `[${flags.label}] supervising ${specs.map((spec) => `${spec.name} (pid ${supervisor.pids()[spec.name]})`).join(', ')}\n`,
);
