// What every service serves: /healthz, /readyz and /metrics on a fastify app.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from '../logger.js';
import type { Registry } from '../metrics.js';

/**
 * true when ready, else the reason it is not: "summary: detail" (e.g. "Kafka unreachable: connect ECONNREFUSED
 * 10.0.0.5:9092"). Callers of /readyz get the summary only; the whole reason goes to the log.
 */
export type ReadinessCheck = () => Promise<true | string>;

/** The longest a readiness check may take before /readyz answers "not ready". */
const READY_TIMEOUT_MS = 2000;

export interface HealthRouteOptions {
  registry: Registry;
  ready: ReadinessCheck;
  /** Whether this caller may see the detail of a readiness reason (the API: authenticated callers). Default: nobody. */
  showDetail?: (request: FastifyRequest) => boolean;
  /** Where changes of readiness are logged (default: the app's logger). */
  logger?: Logger | FastifyBaseLogger;
}

/** The part of a readiness reason anyone may see: the text before the first ": ", or all of it when there is none. */
export function readinessSummary(reason: string): string {
  const colon = reason.indexOf(': ');
  return colon === -1 ? reason : reason.slice(0, colon);
}

/**
 * /healthz, /readyz and /metrics. They answer without authentication: bind the health port to loopback or protect it
 * at the proxy when the network is not trusted (/metrics shows counts and timings, never data or error text).
 */
// biome-ignore lint/suspicious/noExplicitAny: accepts any fastify instance whatever its logger type
export function addHealthRoutes(app: FastifyInstance<any, any, any, any>, options: HealthRouteOptions): void {
  const logger = options.logger ?? app.log;
  let logged: true | string = true; // what the log last said; the first ready answer is not worth a line
  const logChange = (result: true | string) => {
    if (result === logged) return;
    logged = result;
    if (result === true) logger.info('ready');
    else logger.warn({ reason: result }, 'not ready');
  };

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request: FastifyRequest, reply) => {
    let result: true | string;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A stalled dependency (SIGSTOPped, a black-holed route) must not hang the probe: answer within the limit.
      result = await Promise.race([
        options.ready(),
        new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve(`readiness check timed out: no answer within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      result = `readiness check failed: ${(err as Error).message}`;
    } finally {
      clearTimeout(timer);
    }
    logChange(result);
    if (result === true) return { status: 'ready' };
    const reason = options.showDetail?.(request) ? result : readinessSummary(result);
    return reply.code(503).send({ status: 'not ready', reason });
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
