// npm run test:unit: the tests that need no server (test/support/unit-tests.ts decides from the source), in seconds,
// without the stack. The aliases and settings of vitest.config.ts, with the unit test files only.
import { defineConfig } from 'vitest/config';
import { unitTestFiles } from './test/support/unit-tests.js';
import base from './vitest.config.js';

export default defineConfig({ ...base, test: { ...base.test, include: unitTestFiles() } });
