// The ingest service's Prometheus metrics.
import { Counter, Gauge, Histogram, type Registry } from '@callpulse/shared';

export type WebhookOutcome = 'accepted' | 'handshake' | 'unauthorized' | 'dead-lettered' | 'too-large' | 'unavailable' | 'other-event';

export function createIngestMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: 'callpulse_ingest_webhook_requests_total',
      help: 'Webhook requests by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'callpulse_ingest_produce_seconds',
      help: 'Time from a batch send to the Kafka acknowledgement',
      labelNames: ['ok'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'callpulse_ingest_produce_batch_messages',
      help: 'Messages per Kafka send',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'callpulse_ingest_dead_lettered_total',
      help: 'Webhook bodies sent to the dead-letter topic',
      registers: [registry],
    }),
    kafkaReachable: new Gauge({
      name: 'callpulse_ingest_kafka_reachable',
      help: '1 while the last produce succeeded',
      registers: [registry],
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
