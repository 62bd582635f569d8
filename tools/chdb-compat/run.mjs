#!/usr/bin/env node
// npm run test:chdb: the local stack up (its ClickHouse 18.16 is one of the two engines compared) and the code built,
// as for npm test, then the compatibility test with chdb (a current ClickHouse in-process); the servers this run
// started are stopped at the end. Arguments go to vitest.
import { runWithStack } from '../../scripts/with-stack.mjs';

const config = 'tools/chdb-compat/vitest.config.ts';
process.exit(await runWithStack('test:chdb', 'npx', ['vitest', 'run', '--config', config, ...process.argv.slice(2)]));
