// npm run test:unit's choice (test/support/unit-tests.ts): pure tests in, tests that reach a server (directly or
// through a support file), browser tests and the listed slow ones out.
import { describe, expect, it } from 'vitest';
import { unitTestFiles } from './unit-tests.js';

describe('the unit tests', () => {
  const files = unitTestFiles();

  it('include pure tests of packages, services, tools and the tree', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'packages/platform/src/service-main.test.ts',
        'services/api/test/unit.test.ts',
        'services/ingest/test/intake.test.ts',
        'test/import-cycles.test.ts',
      ]),
    );
  });

  it('leave out tests that reach a server, directly or through their support files, browser tests and slow ones', () => {
    for (const file of [
      'services/api/test/history.test.ts', // startService in ./support/processes.ts
      'services/reporting/test/pipeline.test.ts', // testConfig in ./support/harness.ts names the servers
      'packages/platform/src/clickhouse/escape.test.ts', // a ClickHouse client
      'test/supervisor.test.ts', // child processes
      'web/test/dashboard.browser.test.ts',
      'services/ingest/test/fuzz/fuzz.test.ts',
    ]) {
      expect(files).not.toContain(file);
    }
  });
});
