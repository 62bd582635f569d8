// Graceful shutdown: a service's stop() runs once on SIGTERM or SIGINT, within a time limit.
import type { Logger } from './logger.js';

/**
 * Runs stop() once on SIGTERM or SIGINT, then exits: 0 when it finished within timeoutMs, 1 otherwise.
 * stop() should stop taking work, finish or hand back what is in flight, commit, and close connections.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>, timeoutMs = 30000): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
