#!/usr/bin/env node
// npm start: installs what is missing, brings the local stack up, builds, and runs every service in the
// foreground with prefixed logs. Ctrl-C / SIGTERM stops the services, then the stack servers this run started.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from './build.mjs';
import { demoWanted, runDemo } from './demo.mjs';
import { ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';
import { down, up } from './stack/stack.mjs';

const order = ['ingest', 'call-state', 'reporting', 'api'];
// The V8 flags every service runs with (services/node-flags.json; the Dockerfile uses them too).
const nodeFlags = JSON.parse(readFileSync(resolve(repoRoot, 'services/node-flags.json'), 'utf8'));
const children = new Map();
let stopping = false;
let startedServers = [];
const demo = new AbortController();

function runService(name) {
  const entry = resolve(repoRoot, 'services', name, 'dist/main.js');
  const child = spawn(process.execPath, [...nodeFlags, entry], { cwd: repoRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(name, child);
  const prefix = `[${name.padEnd(10)}]`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    process.stdout.write(`${prefix} exited (${signal ?? `code ${code}`})\n`);
    if (!stopping) shutdown(code === 0 ? 1 : (code ?? 1));
  });
}

async function shutdown(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  demo.abort();
  console.log('[start] stopping services');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolveExit) => {
          child.once('exit', resolveExit);
          child.kill('SIGTERM');
        }),
    ),
  );
  if (startedServers.length > 0) await down(startedServers);
  process.exit(exitCode);
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  ensureNpmDependencies();
  startedServers = await up();
  build();
  const available = order.filter((name) => existsSync(resolve(repoRoot, 'services', name, 'dist/main.js')));
  const missing = readdirSync(resolve(repoRoot, 'services')).filter((name) => !available.includes(name));
  if (missing.length > 0) console.log(`[start] not built yet, skipped: ${missing.join(', ')}`);
  for (const name of available) runService(name);
  console.log(`[start] running ${available.join(', ')}; Ctrl-C stops everything`);
  if (demoWanted()) {
    runDemo(demo.signal).catch((err) => console.error(`[start] the demo simulation failed: ${err.message}`));
  }
} catch (err) {
  console.error(`[start] ${err.message}`);
  await shutdown(1);
}
