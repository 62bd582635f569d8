// What every service has: /healthz, /readyz and /metrics on a fastify app, and graceful shutdown on SIGTERM.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from './logger.js';
import type { Registry } from './metrics.js';

/** true when ready, else the reason it is not. */
export type ReadinessCheck = () => Promise<true | string>;

// biome-ignore lint/suspicious/noExplicitAny: accepts any fastify instance whatever its logger type
export function addHealthRoutes(app: FastifyInstance<any, any, any, any>, options: { registry: Registry; ready: ReadinessCheck }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    let result: true | string;
    try {
      result = await options.ready();
    } catch (err) {
      result = (err as Error).message;
    }
    if (result === true) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready', reason: result });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });
}

/** Fastify options every service uses: our pino logger, no per-request log lines (metrics count requests). */
export function httpServerOptions(logger: Logger) {
  return {
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  };
}

/** A fastify app with the health routes only, for services that serve nothing else (call-state, reporting). */
export function createHealthServer(options: { logger: Logger; registry: Registry; ready: ReadinessCheck }): FastifyInstance {
  const app = Fastify(httpServerOptions(options.logger));
  addHealthRoutes(app, options);
  return app;
}

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
