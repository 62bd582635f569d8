#!/usr/bin/env node
// npm test: installs what is missing, brings the local stack up, builds, runs the whole suite against the real
// servers, and stops the servers it started. Arguments go to vitest (e.g. `npm test -- services/ingest`).
import { runWithStack } from './with-stack.mjs';

process.exit(await runWithStack('test', 'npx', ['vitest', 'run', ...process.argv.slice(2)]));
