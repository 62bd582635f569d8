#!/usr/bin/env node
// npm run screenshots: the local stack up and the code built (the dashboard's bundle too), as for npm test; then the
// screenshots for the README taken (screenshots.browser.ts through screenshots.config.ts) into docs/img, or into the
// folder CALLPULSE_SCREENSHOTS names. The servers this run started are stopped at the end. Arguments go to vitest.
import { runWithStack } from '../../scripts/with-stack.mjs';

process.exit(
  await runWithStack('screenshots', 'npx', ['vitest', 'run', '--config', 'web/test/screenshots.config.ts', ...process.argv.slice(2)]),
);
