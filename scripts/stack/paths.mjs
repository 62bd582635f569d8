// Where the local stack keeps its files and which ports its own servers use (all overridable by env).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const stackDir = resolve(repoRoot, process.env.STACK_DIR ?? '.stack');

function port(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

export const ports = {
  kafka: port('STACK_KAFKA_PORT', 9092),
  kafkaController: port('STACK_KAFKA_CONTROLLER_PORT', 9093),
  redis: port('STACK_REDIS_PORT', 6379),
  clickhouseHttp: port('STACK_CLICKHOUSE_HTTP_PORT', 8123),
  clickhouseTcp: port('STACK_CLICKHOUSE_TCP_PORT', 9000),
};

export const dirs = {
  kafka: resolve(stackDir, 'kafka'),
  kafkaLibs: resolve(stackDir, 'cache', 'kafka-libs'),
  redis: resolve(stackDir, 'redis'),
  clickhouse: resolve(stackDir, 'clickhouse'),
  logs: resolve(stackDir, 'logs'),
  pids: resolve(stackDir, 'pids'),
};
