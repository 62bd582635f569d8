// The ingest HTTP app: the webhook, /healthz, /readyz and /metrics. Ready while a webhook can be acknowledged:
// the spool takes records, or (when the spool cannot) Kafka does and the spool is empty; during the first seconds
// also only once Kafka answered. The answer says where records go and how much waits in the spool, without backend
// error text.
import type { Topics } from '@callpulse/contracts';
import { httpServerOptions, type Logger, type Registry } from '@callpulse/platform';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IngestMetrics } from './metrics.js';
import type { SubscriptionHealth } from './ringcentral/webhook-tokens.js';
import type { Spool } from './spool/spool.js';
import { bodyHardCapBytes, type WebhookDeps, webhookRoutes } from './webhook/route.js';

export interface IngestAppDeps extends Omit<WebhookDeps, 'logger'> {
  spool: Spool;
  /** 'reachable' while Kafka takes records (topics ready, the last send and drain round succeeded). */
  kafkaStatus: () => 'connecting' | 'reachable' | 'unreachable';
  /**
   * Until then (epoch ms), a Kafka still 'connecting' keeps /readyz at 503 although webhooks are taken (into the
   * spool): whoever waits for readiness at start-up finds the topics there, as before the spool; later, a Kafka that
   * cannot be reached does not make ingest unready.
   */
  startingUntilMs?: number;
  topics: Topics;
  metrics: IngestMetrics;
  registry: Registry;
  logger: Logger;
  /**
   * Our RingCentral subscription as last read from Redis, shown in /readyz (a subscription whose telephony filter
   * RingCentral disabled delivers no call: said there as `problem`, while ingest stays ready to take webhooks).
   */
  subscriptionHealth?: () => SubscriptionHealth | undefined;
}

/** Whether a webhook can be acknowledged now (true, else why not), and what /readyz shows beside it. */
export function ingestReadiness(deps: Pick<IngestAppDeps, 'kafkaStatus' | 'spool' | 'subscriptionHealth' | 'startingUntilMs'>): {
  ready: true | string;
  details: Record<string, unknown>;
} {
  const kafka = deps.kafkaStatus();
  const stats = deps.spool.stats();
  const subscription = deps.subscriptionHealth?.();
  const details = {
    ...(subscription ? { ringcentral: { subscription } } : {}),
    kafka,
    spool: {
      accepting: deps.spool.accepting,
      records: stats.records,
      bytes: stats.bytes,
      oldestAgeSeconds: stats.oldestSpooledAtMs === undefined ? 0 : Math.round((Date.now() - stats.oldestSpooledAtMs) / 1000),
    },
  };
  let ready: true | string = true;
  if (kafka === 'connecting' && Date.now() < (deps.startingUntilMs ?? 0)) {
    ready = 'starting: connecting to Kafka (webhooks go to the spool meanwhile)';
  } else if (!deps.spool.accepting && !(kafka === 'reachable' && stats.records === 0)) {
    ready = `${deps.spool.isFull ? 'the spool is full' : 'the spool cannot be written'} and Kafka cannot take records`;
  }
  return { ready, details };
}

export function buildIngestApp(deps: IngestAppDeps): FastifyInstance {
  // A genuine body over INGEST_BODY_LIMIT_BYTES is still read (up to the hard cap) and dead-lettered: see webhook/route.ts.
  const hardCapBytes = bodyHardCapBytes(deps.bodyLimitBytes);
  const app = Fastify({
    ...httpServerOptions(deps.logger),
    bodyLimit: hardCapBytes,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      deps.metrics.requests.inc({ outcome: 'too-large' });
      return reply.code(413).send({ error: `body larger than ${hardCapBytes} bytes` });
    }
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.logger.error({ err }, 'request failed');
    return reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, details } = ingestReadiness(deps);
    if (ready === true) return { status: 'ready', ...details };
    return reply.code(503).send({ status: 'not ready', reason: ready, ...details });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
  app.register(webhookRoutes, { ...deps, logger: deps.logger });
  return app;
}
