#!/usr/bin/env node
// npm run bench: installs what is missing, brings the local stack up, builds, runs the benchmark suite
// (tools/bench) and stops the servers it started. Arguments go to the suite: `npm run bench -- --quick --out f.json`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
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
  const result = spawnSync(process.execPath, [resolve(repoRoot, 'tools/bench/dist/main.js'), ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  status = result.status ?? 1;
} catch (err) {
  console.error(`[bench] ${err.message}`);
} finally {
  if (started.length > 0 && !process.env.KEEP_STACK) await down(started);
}
process.exit(status);
