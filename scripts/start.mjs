#!/usr/bin/env node
// npm start: installs what is missing, brings the local stack up, builds, and runs every service in the
// foreground with prefixed logs. A service that exits is restarted with backoff (scripts/supervise/); one that exits
// with status 78 (bad configuration) stops everything. Ctrl-C, SIGTERM or a closed terminal (SIGHUP), or npm ending
// without passing a signal on, hangs up the demo's calls, stops the services by pid, then the stack servers this run
// started; a second Ctrl-C kills the services at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from './build.mjs';
import { demoWanted, runDemo } from './demo.mjs';
import { ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';
import { down, up } from './stack/stack.mjs';
import { watchLauncher } from './supervise/launcher.mjs';
import { createSupervisor } from './supervise/supervisor.mjs';

const order = ['ingest', 'call-state', 'reporting', 'api'];
// The V8 flags every service runs with (services/node-flags.json; the Dockerfile uses them too).
const nodeFlags = JSON.parse(readFileSync(resolve(repoRoot, 'services/node-flags.json'), 'utf8'));
let startedServers = [];
let stopping = false;
/** The demo's calls in progress hang up on the first Ctrl-C (waited for at most DEMO_HANG_UP_MS); `demo` stops it at once. */
const demoHangUp = new AbortController();
const demo = new AbortController();
const DEMO_HANG_UP_MS = 10000;
let demoRun;
const supervisor = createSupervisor({
  label: 'start',
  onGiveUp: (name) => {
    console.error(`[start] ${name} has a configuration error (its message is above); fix it and run npm start again`);
    shutdown(78);
  },
});

async function shutdown(exitCode = 0) {
  if (stopping) {
    console.log('[start] stopping at once (second signal): killing the services');
    demo.abort();
    supervisor.kill();
    return;
  }
  stopping = true;
  if (demoRun) {
    // Before the services stop, so ingest takes the hang-ups and call-state applies them (now or at its next start).
    demoHangUp.abort();
    await Promise.race([demoRun, new Promise((done) => setTimeout(done, DEMO_HANG_UP_MS).unref())]);
  }
  demo.abort();
  await supervisor.stop();
  if (startedServers.length > 0) await down(startedServers);
  process.exit(exitCode);
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0)); // the terminal closed
// npm and its shell ended by a signal they did not pass on (a SIGTERM to npm's pid): stop as on SIGTERM. After a
// Ctrl-C npm ends too, while the stop it began goes on: not a second signal.
watchLauncher((launcher) => {
  if (stopping) return;
  console.log(`[start] npm (its shell, pid ${launcher}) is gone; stopping everything`);
  shutdown(0);
});
// With the terminal gone, writes to it fail (EIO): the shutdown goes on without them instead of dying mid-way.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

try {
  ensureNpmDependencies();
  startedServers = await up();
  build();
  const available = order.filter((name) => existsSync(resolve(repoRoot, 'services', name, 'dist/main.js')));
  const missing = readdirSync(resolve(repoRoot, 'services'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !available.includes(entry.name))
    .map((entry) => entry.name);
  if (missing.length > 0) console.log(`[start] not built yet, skipped: ${missing.join(', ')}`);
  for (const name of available) {
    const entry = resolve(repoRoot, 'services', name, 'dist/main.js');
    supervisor.run({ name, command: process.execPath, args: [...nodeFlags, entry], cwd: repoRoot, env: process.env });
  }
  console.log(`[start] running ${available.join(', ')}; a service that exits is restarted; Ctrl-C stops everything`);
  if (demoWanted()) {
    demoRun = runDemo(demoHangUp.signal, demo.signal).catch((err) => console.error(`[start] the demo simulation failed: ${err.message}`));
  }
} catch (err) {
  console.error(`[start] ${err.message}`);
  await shutdown(1);
}
