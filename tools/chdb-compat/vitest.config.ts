// The chdb compatibility test on its own (npm run test:chdb): the root config (aliases, pool, timeouts) with only this
// workspace's test, which the root config's globs leave out so `npm test` does not run it twice.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

export default defineConfig({
  ...root,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { ...root.test, include: ['tools/chdb-compat/compat.test.ts'] },
});
