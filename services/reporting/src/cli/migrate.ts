// npm run migrate: applies the ClickHouse migrations of services/reporting/migrations to CLICKHOUSE_DATABASE.
import { clickHouseFromConfig, clickhouseEnv, createLogger, loadConfigOrExit, logLevel } from '@callpulse/platform';
import { z } from 'zod';
import { MIGRATION_REQUEST_TIMEOUT_MS, migrate } from '../migrations/migrate.js';

const config = loadConfigOrExit(
  'migrate',
  z.object({
    LOG_LEVEL: logLevel,
    ...clickhouseEnv,
  }),
);
const logger = createLogger('migrate', config.LOG_LEVEL);
const clickhouse = clickHouseFromConfig(config, { requestTimeoutMs: MIGRATION_REQUEST_TIMEOUT_MS, application: 'callpulse-migrate' });
try {
  const { applied } = await migrate({ clickhouse, database: config.CLICKHOUSE_DATABASE, logger });
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
