// The reporting service's Prometheus metrics.
import { Counter, Gauge, Histogram, type Registry } from '@callpulse/platform';

/** The service's metrics on registry: once per registry (a second call would register the names twice). */
export function createReportingMetrics(registry: Registry) {
  return {
    rowsInserted: new Counter({
      name: 'callpulse_reporting_rows_inserted_total',
      help: 'Rows inserted into ClickHouse (+1 and -1 rows), by table',
      labelNames: ['table'],
      registers: [registry],
    }),
    recordsSkipped: new Counter({
      name: 'callpulse_reporting_records_skipped_total',
      help: 'Records that changed nothing: duplicates, replays and superseded versions',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'callpulse_reporting_dead_lettered_total',
      help: 'Messages sent to the dead-letter topic, by reason (undecodable or refused by ClickHouse)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    repairs: new Counter({
      name: 'callpulse_reporting_repaired_keys_total',
      help: 'Legs or sessions whose stored rows were inconsistent and were put right',
      labelNames: ['kind'],
      registers: [registry],
    }),
    versionConflicts: new Counter({
      name: 'callpulse_reporting_version_conflicts_total',
      help: 'Records whose version was already stored (or seen) with other content; the stored content is kept',
      labelNames: ['kind'],
      registers: [registry],
    }),
    revokedDropped: new Counter({
      name: 'callpulse_reporting_revoked_messages_dropped_total',
      help: 'Fetched messages dropped unwritten because their partition went to another instance (it reads them again)',
      registers: [registry],
    }),
    consumerRestarts: new Counter({
      name: 'callpulse_reporting_consumer_restarts_total',
      help: 'Kafka consumers recreated after kafkajs gave one up',
      registers: [registry],
    }),
    insertRetries: new Counter({
      name: 'callpulse_reporting_insert_retries_total',
      help: 'Failed write attempts that were retried after a backoff',
      registers: [registry],
    }),
    batchRows: new Histogram({
      name: 'callpulse_reporting_batch_messages',
      help: 'Messages per flushed batch',
      buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000],
      registers: [registry],
    }),
    insertSeconds: new Histogram({
      name: 'callpulse_reporting_insert_seconds',
      help: 'Duration of successful ClickHouse inserts, by table',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    legStoredDelay: new Histogram({
      name: 'callpulse_reporting_leg_stored_delay_seconds',
      help: "From a leg's end (end time of its record: the eventTime that ended it) to its first version inserted into ClickHouse",
      buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'callpulse_reporting_consumer_lag',
      help: 'Messages of the completed-calls topic not yet committed, by partition (high watermark minus committed offset)',
      labelNames: ['partition'],
      registers: [registry],
    }),
    buffered: new Gauge({
      name: 'callpulse_reporting_buffered_messages',
      help: 'Messages fetched and waiting to be written',
      registers: [registry],
    }),
  };
}

export type ReportingMetrics = ReturnType<typeof createReportingMetrics>;
