#!/usr/bin/env node
// npm test: installs what is missing, brings the local stack up, builds, runs the whole suite against the real
// servers, and stops the servers it started. Arguments go to vitest (e.g. `npm test -- services/ingest`).
// Without arguments the short chaos run (tools/chaos/test/chaos.test.ts: a whole private pipeline under faults) runs
// on its own after everything else: on two cores it would otherwise starve the timing of the other integration tests.
import { runWithStack } from './with-stack.mjs';

const chaosTest = 'tools/chaos/test/chaos.test.ts';
const args = process.argv.slice(2);

process.exit(
  await runWithStack('test', async (run) => {
    if (args.length > 0) return run('npx', ['vitest', 'run', ...args]);
    const rest = await run('npx', ['vitest', 'run', '--exclude', chaosTest]);
    const chaos = await run('npx', ['vitest', 'run', chaosTest]);
    return rest !== 0 ? rest : chaos;
  }),
);
