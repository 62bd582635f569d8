// The ingest service's Prometheus metrics.
import { Counter, Gauge, Histogram, type Registry } from '@callpulse/platform';
import type { SpoolStats } from './spool/spool.js';

export type WebhookOutcome =
  | 'accepted'
  | 'spooled'
  | 'handshake'
  | 'unauthorized'
  | 'dead-lettered'
  | 'too-large'
  | 'unavailable'
  | 'other-event';

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
    spooled: new Counter({
      name: 'callpulse_ingest_spooled_total',
      help: 'Records written to the local spool (Kafka did not acknowledge in time, or the spool was not empty)',
      registers: [registry],
    }),
    spoolDrained: new Counter({
      name: 'callpulse_ingest_spool_drained_total',
      help: 'Spooled records Kafka acknowledged',
      registers: [registry],
    }),
  };
}

/** Gauges read when scraped: Kafka's state and the spool's. */
export function registerStateMetrics(registry: Registry, stats: () => SpoolStats, kafkaReachable: () => boolean): void {
  new Gauge({
    name: 'callpulse_ingest_kafka_reachable',
    help: '1 while Kafka takes records (the last send and drain round succeeded)',
    registers: [registry],
    collect() {
      this.set(kafkaReachable() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'callpulse_ingest_spool_records',
    help: 'Records in the spool not yet acknowledged by Kafka',
    registers: [registry],
    collect() {
      this.set(stats().records);
    },
  });
  new Gauge({
    name: 'callpulse_ingest_spool_bytes',
    help: 'Bytes of the spool on disk',
    registers: [registry],
    collect() {
      this.set(stats().bytes);
    },
  });
  new Gauge({
    name: 'callpulse_ingest_spool_oldest_age_seconds',
    help: 'Age of the oldest record in the spool not yet acknowledged by Kafka (0 when empty)',
    registers: [registry],
    collect() {
      const oldest = stats().oldestSpooledAtMs;
      this.set(oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    },
  });
  new Gauge({
    name: 'callpulse_ingest_spool_damaged',
    help: 'Damaged spool records skipped (corrupt) and torn tails dropped since start-up',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const { corruptRecords, tornTails } = stats();
      this.set({ kind: 'corrupt' }, corruptRecords);
      this.set({ kind: 'torn-tail' }, tornTails);
    },
  });
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
