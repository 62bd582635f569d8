// Graceful shutdown: a service's stop() runs once on SIGTERM or SIGINT, within a time limit.
import type { DestinationStream } from 'pino';
import type { Logger } from './logger.js';

/** The parts of the Node process that start-up and shutdown use (tests give their own). */
export interface ProcessHost {
  env: NodeJS.ProcessEnv;
  once: (signal: NodeJS.Signals, handler: (signal: NodeJS.Signals) => void) => void;
  exit: (code: number) => void;
  /** Writes to standard error (configuration errors, printed before there is a logger). */
  writeError: (text: string) => void;
  /** Where the service's log lines go (default standard output). */
  log?: DestinationStream;
}

const nodeSignals: Pick<ProcessHost, 'once' | 'exit'> = {
  once: (signal, handler) => process.once(signal, handler),
  exit: (code) => process.exit(code),
};

/**
 * Runs stop() once on SIGTERM or SIGINT, then exits: 0 when it finished within timeoutMs, 1 otherwise.
 * stop() should stop taking work, finish or hand back what is in flight, commit, and close connections.
 */
export function onShutdown(
  logger: Logger,
  stop: () => Promise<void>,
  timeoutMs = 30000,
  host: Pick<ProcessHost, 'once' | 'exit'> = nodeSignals,
): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      host.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        clearTimeout(timer);
        logger.info('stopped');
        host.exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        logger.error({ err }, 'shutdown failed');
        host.exit(1);
      },
    );
  };
  host.once('SIGTERM', handle);
  host.once('SIGINT', handle);
}
