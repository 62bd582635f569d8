// npm run migrate: applies the ClickHouse migrations of services/reporting/migrations to CLICKHOUSE_DATABASE.
import { clickHouseFromConfig, clickhouseEnv, createLogger, loadConfigOrExit, logLevel } from '@callpulse/platform';
import { z } from 'zod';
import { migrationLockEnv, migrationLockSettings } from '../config.js';
import { MIGRATION_REQUEST_TIMEOUT_MS, migrate } from '../migrations/migrate.js';

const config = loadConfigOrExit(
  'migrate',
  z.object({
    LOG_LEVEL: logLevel,
    ...clickhouseEnv,
    ...migrationLockEnv,
  }),
);
const logger = createLogger('migrate', config.LOG_LEVEL);
const clickhouse = clickHouseFromConfig(config, { requestTimeoutMs: MIGRATION_REQUEST_TIMEOUT_MS, application: 'callpulse-migrate' });
// Ctrl-C or SIGTERM while waiting for another instance's migration lock ends the wait at once.
const stopping = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopping.abort());
try {
  const { applied } = await migrate({
    clickhouse,
    database: config.CLICKHOUSE_DATABASE,
    logger,
    lock: migrationLockSettings(config),
    signal: stopping.signal,
  });
  process.stdout.write(
    applied.length > 0
      ? `applied ${applied.join(', ')} to ${config.CLICKHOUSE_DATABASE}\n`
      : `${config.CLICKHOUSE_DATABASE} is up to date\n`,
  );
  process.exitCode = 0;
} catch (err) {
  process.stderr.write(`migrate: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await clickhouse.close();
}
