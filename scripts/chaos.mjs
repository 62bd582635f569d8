#!/usr/bin/env node
// npm run chaos: installs what is missing, builds, and runs the chaos suite (tools/chaos), which starts its own private
// servers and services. Ctrl-C and SIGTERM are passed on, so the run stops every process it started before exiting.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { build } from './build.mjs';
import { ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';

ensureNpmDependencies();
build();
const child = spawn(process.execPath, [resolve(repoRoot, 'tools/chaos/dist/main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
// The terminal's Ctrl-C reaches the child too (same process group); a SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
