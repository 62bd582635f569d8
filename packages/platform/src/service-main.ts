// One start-up shape for every service: a service's main.ts is one runService call. It reads the config (exit 78
// naming each bad variable), builds the service from its parts, starts it, and stops it gracefully on SIGTERM/SIGINT.
import type { z } from 'zod';
import { ConfigError, parseConfig } from './config.js';
import type { ReadinessCheck } from './http/health.js';
import { createLogger, type Logger } from './logger.js';
import { onShutdown, type ProcessHost } from './shutdown.js';

/** Exit status of a service whose configuration is bad (EX_CONFIG): `npm start` does not restart it. */
export const CONFIG_EXIT_CODE = 78;
/** Exit status of a service that could not start for another reason (its log says why); `npm start` restarts it. */
export const START_FAILED_EXIT_CODE = 1;

/** A built service: its parts are made, nothing runs yet. */
export interface Service {
  /**
   * Starts taking work. It may wait long for a dependency that is down (it should, instead of failing); a SIGTERM
   * meanwhile calls stop(). It throws a ConfigError for a configuration problem found only now (exit 78), anything
   * else for a failure a restart may cure (exit 1).
   */
  start(): Promise<void>;
  /**
   * Stops taking work, finishes or hands back what is in flight, commits, and closes every connection. Called at most
   * once, also while start() is still waiting: it must then close what start() opened so far.
   */
  stop(): Promise<void>;
  /** true when ready, else why not (what /readyz answers). */
  ready: ReadinessCheck;
}

/** What build gets besides the config. */
export interface ServiceContext {
  logger: Logger;
}

export interface ServiceDefinition<S extends z.ZodTypeAny> {
  /** The service's name, in its log lines and in the configuration error message. */
  name: string;
  /** The service's environment schema (config.ts); every service's has LOG_LEVEL (platform's commonEnv). */
  env: S;
  /** Builds the service from its parts (service.ts). Cheap and without waiting: the waiting is start()'s. */
  build: (config: z.infer<S>, context: ServiceContext) => Service | Promise<Service>;
  /** How long stop() may take before the process exits 1 anyway (default 30 s). */
  stopTimeoutMs?: number;
}

const nodeProcess: ProcessHost = {
  env: process.env,
  once: (signal, handler) => process.once(signal, handler),
  exit: (code) => process.exit(code),
  writeError: (text) => process.stderr.write(text),
};

/**
 * Runs a service: config, build, start; stop on SIGTERM or SIGINT (exit 0 once stopped, 1 when stop fails or takes
 * longer than stopTimeoutMs). A bad configuration, found by the schema or later by build or start (a ConfigError),
 * is printed naming each variable, and the process exits 78; any other start-up failure is logged as
 * "<name> could not start" with the error, and the process exits 1. Resolves once the service has started.
 */
export async function runService<S extends z.ZodTypeAny>(definition: ServiceDefinition<S>, host: ProcessHost = nodeProcess): Promise<void> {
  const { name } = definition;
  const configError = (err: ConfigError) => {
    host.writeError(`${name}: ${err.message}\n`);
    host.exit(CONFIG_EXIT_CODE);
  };
  let config: z.infer<S>;
  try {
    config = parseConfig(definition.env, host.env);
  } catch (err) {
    if (err instanceof ConfigError) return configError(err);
    throw err;
  }
  const logger = createLogger(name, (config as { LOG_LEVEL?: string }).LOG_LEVEL, host.log);

  let stopping = false;
  // Installed before build and start, which may wait long for Kafka or Redis: a SIGTERM meanwhile ends the wait
  // cleanly (nothing was taken yet), one after start-up stops the service gracefully.
  const built = Promise.resolve().then(() => definition.build(config, { logger }));
  onShutdown(
    logger,
    async () => {
      stopping = true;
      const service = await built.catch(() => undefined);
      await service?.stop();
    },
    definition.stopTimeoutMs,
    host,
  );

  try {
    const service = await built;
    await service.start();
  } catch (err) {
    if (stopping) return; // stop() ends a start that is still waiting; its failure is not a start-up failure
    if (err instanceof ConfigError) return configError(err);
    logger.fatal({ err }, `${name} could not start`);
    return host.exit(START_FAILED_EXIT_CODE);
  }
  if (!stopping) logger.info(`${name} started`);
}
