// The reporting service: completed calls from Kafka into ClickHouse, with /healthz, /readyz and /metrics. It never
// exits for a dependency: start-up is retried with backoff while Kafka or ClickHouse is unreachable, and /readyz says so.
import { setTimeout as sleep } from 'node:timers/promises';
import { createHealthServer, createLogger, createRegistry, loadConfigOrExit, onShutdown } from '@callpulse/platform';
import { reportingEnv } from './config.js';
import { backoffMs } from './consumer/flusher.js';
import { MigrationChangedError } from './migrations/migrate.js';
import { type ReportingHandle, startReporting } from './reporting.js';

const config = loadConfigOrExit('reporting', reportingEnv);
const logger = createLogger('reporting', config.LOG_LEVEL);
const registry = createRegistry('reporting');

let reporting: ReportingHandle | undefined;
let starting = 'starting';
let stopping = false;
const app = createHealthServer({
  logger,
  registry,
  ready: async () => (reporting ? reporting.ready() : starting),
});
await app.listen({ port: config.REPORTING_PORT, host: config.REPORTING_HOST });

onShutdown(logger, async () => {
  stopping = true;
  await reporting?.stop();
  await app.close();
});

for (let attempt = 1; !reporting && !stopping; attempt++) {
  try {
    const started = await startReporting(config, { logger, registry });
    if (stopping) await started.stop();
    else reporting = started;
  } catch (err) {
    if (err instanceof MigrationChangedError) {
      logger.fatal({ err }, 'reporting cannot start: an applied migration was changed');
      process.exit(1);
    }
    const waitMs = Math.round(backoffMs(attempt - 1));
    starting = `start-up failed: attempt ${attempt}: ${(err as Error).message}`;
    logger.error({ err, attempt, waitMs }, 'reporting could not start; trying again');
    await sleep(waitMs);
  }
}
