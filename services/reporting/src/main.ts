// The reporting service: completed calls from Kafka into ClickHouse, with /healthz, /readyz and /metrics.
import { createHealthServer, createLogger, createRegistry, loadConfigOrExit, onShutdown } from '@callpulse/shared';
import { reportingEnv } from './config.js';
import { startReporting } from './reporting.js';

const config = loadConfigOrExit('reporting', reportingEnv);
const logger = createLogger('reporting', config.LOG_LEVEL);
const registry = createRegistry('reporting');

let reporting: Awaited<ReturnType<typeof startReporting>> | undefined;
const app = createHealthServer({
  logger,
  registry,
  ready: async () => (reporting ? reporting.ready() : 'starting'),
});
await app.listen({ port: config.REPORTING_PORT, host: '0.0.0.0' });

try {
  reporting = await startReporting(config, {
    logger,
    registry,
    onFatal: (err) => {
      logger.fatal({ err }, 'Kafka consumer failed for good; exiting');
      process.exit(1);
    },
  });
} catch (err) {
  logger.fatal({ err }, 'reporting could not start');
  process.exit(1);
}

onShutdown(logger, async () => {
  await reporting?.stop();
  await app.close();
});
