#!/usr/bin/env node
// npm run bench: installs what is missing, brings the local stack up, builds, runs the benchmark suite
// (tools/bench) and stops the servers it started. Arguments go to the suite: `npm run bench -- --quick --out f.json`.
import { resolve } from 'node:path';
import { repoRoot } from './stack/paths.mjs';
import { runWithStack } from './with-stack.mjs';

process.exit(await runWithStack('bench', process.execPath, [resolve(repoRoot, 'tools/bench/dist/main.js'), ...process.argv.slice(2)]));
