// The ingest HTTP app: the webhook, /healthz, /readyz (ready only while Kafka is reachable) and /metrics.
import { addHealthRoutes, httpServerOptions, type Kafka, type Logger, type Registry, type Topics } from '@callpulse/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { BatchingProducer } from './kafka/batching-producer.js';
import type { IngestMetrics } from './metrics.js';
import { type WebhookDeps, webhookRoutes } from './webhook/route.js';

export interface IngestAppDeps extends Omit<WebhookDeps, 'logger'> {
  kafka: Kafka;
  producer: BatchingProducer;
  topics: Topics;
  metrics: IngestMetrics;
  registry: Registry;
  logger: Logger;
}

export function buildIngestApp(deps: IngestAppDeps): FastifyInstance {
  const app = Fastify({
    ...httpServerOptions(deps.logger),
    bodyLimit: deps.bodyLimitBytes,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      deps.metrics.requests.inc({ outcome: 'too-large' });
      return reply.code(413).send({ error: `body larger than ${deps.bodyLimitBytes} bytes` });
    }
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.logger.error({ err }, 'request failed');
    return reply.code(status).send({ error: err.message });
  });

  addHealthRoutes(app, {
    registry: deps.registry,
    ready: async () => {
      if (deps.producer.healthy) return true;
      if (await kafkaAnswers(deps.kafka)) return true;
      return `Kafka unreachable: ${deps.producer.unhealthyReason}`;
    },
  });
  app.register(webhookRoutes, { ...deps, logger: deps.logger });
  return app;
}

async function kafkaAnswers(kafka: Kafka): Promise<boolean> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
