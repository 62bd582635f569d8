#!/usr/bin/env node
// npm run test:chdb: the local stack up (its ClickHouse 18.16 is one of the two engines compared) and the code built,
// as for npm test; then this workspace type-checked and the compatibility test run with chdb (a current ClickHouse
// in-process). The servers this run started are stopped at the end. Arguments go to vitest.
import { runWithStack } from '../../scripts/with-stack.mjs';

const workspace = 'tools/chdb-compat';
process.exit(
  await runWithStack('test:chdb', async (run) => {
    const typecheck = run('npx', ['tsc', '-p', workspace]);
    if (typecheck !== 0) return typecheck;
    return run('npx', ['vitest', 'run', '--config', `${workspace}/vitest.config.ts`, ...process.argv.slice(2)]);
  }),
);
