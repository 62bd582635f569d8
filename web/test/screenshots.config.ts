// The screenshots for the README (npm run screenshots): the root config (aliases, pool, timeouts) with only
// screenshots.browser.ts, which the root config's globs leave out so the suite does not retake them.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

export default defineConfig({
  ...root,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { ...root.test, include: ['web/test/screenshots.browser.ts'] },
});
