#!/usr/bin/env node
// Runs one built entry point (e.g. a CLI) after making sure dependencies are installed and the code is built.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { build } from './build.mjs';
import { ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';

const [entry, ...args] = process.argv.slice(2);
ensureNpmDependencies();
build();
const result = spawnSync(process.execPath, [resolve(repoRoot, entry), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
