// Makes a test database with reporting's migrations by running its built CLI (npm run migrate) as a child process: the
// API's tests use reporting's schema the way a deployment does, without importing another service's code.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { clickhouseUrl } from '../../../../test/support/env.js';

const cli = fileURLToPath(new URL('../../../reporting/dist/cli/migrate.js', import.meta.url));

export async function migrateTestDatabase(database: string): Promise<void> {
  await promisify(execFile)(process.execPath, [cli], {
    env: { ...process.env, CLICKHOUSE_URL: clickhouseUrl, CLICKHOUSE_DATABASE: database, LOG_LEVEL: 'silent' },
    timeout: 120_000,
  });
}
