#!/usr/bin/env node
// npm test: installs what is missing, brings the local stack up, builds, runs the whole suite against the real
// servers, and stops the servers it started. Arguments go to vitest (e.g. `npm test -- services/ingest`).
import { spawnSync } from 'node:child_process';
import { build } from './build.mjs';
import { ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';
import { down, up } from './stack/stack.mjs';

let started = [];
let status = 1;
try {
  ensureNpmDependencies();
  started = await up();
  build();
  const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
  status = result.status ?? 1;
} catch (err) {
  console.error(`[test] ${err.message}`);
} finally {
  if (started.length > 0 && !process.env.KEEP_STACK) await down(started);
}
process.exit(status);
