// Wires the reporting service: the health server, then the pipeline (completed calls from Kafka into ClickHouse),
// started again with backoff while Kafka or ClickHouse is unreachable; /readyz says why meanwhile.
import { setTimeout as sleep } from 'node:timers/promises';
import { createHealthServer, createRegistry, type Logger, type Registry, type Service } from '@callpulse/platform';
import type { ReportingConfig } from './config.js';
import { backoffMs } from './consumer/flusher.js';
import { createReportingMetrics, type ReportingMetrics } from './metrics.js';
import { MigrationChangedError } from './migrations/migrate.js';
import { type Pipeline, startPipeline } from './pipeline.js';

export interface ReportingService extends Service {
  registry: Registry;
  metrics: ReportingMetrics;
  /** The health server's port once started (REPORTING_PORT, or the one the system chose for 0). */
  port: () => number | undefined;
}

export interface ReportingOptions {
  logger: Logger;
  /** How long stop() keeps retrying to write what is pending (default 20 s). */
  stopDeadlineMs?: number;
}

/**
 * The reporting service, built: start() serves /healthz, /readyz and /metrics, then starts the pipeline, trying again
 * with backoff while it fails; it throws only for a changed migration, which no retry cures.
 */
export function buildReporting(config: ReportingConfig, options: ReportingOptions): ReportingService {
  const { logger } = options;
  const registry = createRegistry('reporting');
  const metrics = createReportingMetrics(registry);
  const stopping = new AbortController();
  let pipeline: Pipeline | undefined;
  let starting = 'starting';
  const ready = async () => (pipeline ? pipeline.ready() : starting);
  const http = createHealthServer({ logger, registry, ready });

  return {
    registry,
    metrics,
    ready,
    port: () => {
      const address = http.server.address();
      return typeof address === 'object' && address ? address.port : undefined;
    },
    async start() {
      await http.listen({ port: config.REPORTING_PORT, host: config.REPORTING_HOST });
      for (let attempt = 1; !pipeline && !stopping.signal.aborted; attempt++) {
        try {
          const started = await startPipeline(config, {
            logger,
            metrics,
            stopDeadlineMs: options.stopDeadlineMs,
            signal: stopping.signal,
          });
          if (stopping.signal.aborted) await started.stop();
          else pipeline = started;
        } catch (err) {
          if (err instanceof MigrationChangedError) throw err;
          if (stopping.signal.aborted) break; // stopped while waiting for the migration lock: not a failure
          const waitMs = Math.round(backoffMs(attempt - 1));
          starting = `start-up failed: attempt ${attempt}: ${(err as Error).message}`;
          logger.error({ err, attempt, waitMs }, 'reporting could not start; trying again');
          await sleep(waitMs, undefined, { signal: stopping.signal }).catch(() => undefined);
        }
      }
    },
    async stop() {
      stopping.abort();
      await pipeline?.stop();
      await http.close();
    },
  };
}

/** buildReporting, then start (tests run the service in-process this way). */
export async function startReporting(config: ReportingConfig, options: ReportingOptions): Promise<ReportingService> {
  const service = buildReporting(config, options);
  await service.start();
  return service;
}
