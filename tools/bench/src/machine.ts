// The machine and server versions the figures were taken on.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { benchClickHouse, queryRows } from './support/clickhouse.js';
import { repoRoot } from './support/env.js';
import { benchRedis } from './support/redis.js';

export interface MachineDescription {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  os: string;
  node: string;
  kafka: string;
  redis: string;
  clickhouse: string;
  date: string;
  mode: string;
  loadAverage: string;
}

/** Kafka has no version request; the local stack's broker jars carry it in their names (kafka-server-4.4.0.jar). */
function kafkaVersion(): string {
  try {
    const jar = readdirSync(resolve(repoRoot, '.stack/cache/kafka-libs')).find((name) => /^kafka-server-\d[\w.-]*\.jar$/.test(name));
    const version = jar?.replace(/^kafka-server-/, '').replace(/\.jar$/, '');
    if (version) return process.env.KAFKA_BROKERS ? `${version}? (external brokers; version of the local stack's jars)` : version;
  } catch {
    // no local stack
  }
  return process.env.KAFKA_VERSION ?? 'unknown (set KAFKA_VERSION)';
}

async function redisVersion(): Promise<string> {
  const redis = benchRedis();
  try {
    return /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

async function clickhouseVersion(): Promise<string> {
  const clickhouse = benchClickHouse();
  try {
    const [row] = await queryRows<{ version: string }>(clickhouse, 'SELECT version() AS version');
    return row?.version ?? 'unknown';
  } finally {
    await clickhouse.close();
  }
}

export async function describeMachine(mode: string): Promise<MachineDescription> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    kafka: kafkaVersion(),
    redis: await redisVersion(),
    clickhouse: await clickhouseVersion(),
    date: new Date().toISOString(),
    mode,
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' '),
  };
}
