// @callpulse/platform: the I/O kit every service and tool builds on: Kafka, Redis and ClickHouse clients and the
// rules for using them safely, config loading, logs, metrics, health routes and shutdown. Depends on contracts.
export * from './clickhouse/client.js';
export * from './clickhouse/errors.js';
export * from './clickhouse/escape.js';
export * from './config.js';
export * from './directory/monitored-set.js';
export * from './directory/store.js';
export * from './http/health.js';
export * from './kafka/client.js';
export * from './kafka/dead-letter.js';
export * from './kafka/deadline.js';
export * from './kafka/idempotent-sender.js';
export * from './kafka/keyed-batch.js';
export * from './kafka/offset-committer.js';
export * from './kafka/offsets.js';
export * from './kafka/producer.js';
export * from './kafka/restarting-consumer.js';
export * from './logger.js';
export * from './metrics.js';
export * from './redis/client.js';
export * from './redis/lease.js';
export * from './redis/lock.js';
export * from './redis/lua-script.js';
export * from './service-main.js';
export * from './shutdown.js';
