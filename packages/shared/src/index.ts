export * from './config.js';
export * from './kafka.js';
export * from './logger.js';
export * from './metrics.js';
export * from './redis.js';
export * from './redis-keys.js';
export * from './service.js';
export * from './topics.js';
