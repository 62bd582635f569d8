// @callpulse/contracts: what the services agree on, pure (no I/O): topics and headers, Redis keys and channels, the
// record schemas, live and admin types, RingCentral notifications, directory rules, ClickHouse tables and columns.
export * from './admin-commands.js';
export * from './alerts.js';
export * from './business-hours.js';
export * from './clickhouse/names.js';
export * from './clickhouse/tables.js';
export * from './directory.js';
export * from './live.js';
export * from './notification.js';
export * from './rc-status.js';
export * from './rc-subscription.js';
export * from './records.js';
export * from './redis-keys.js';
export * from './topics.js';
