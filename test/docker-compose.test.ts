// docker-compose.yml parses and names every server and service, each with a health check.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const compose = parse(readFileSync(resolve(import.meta.dirname, '../docker-compose.yml'), 'utf8'), { merge: true });

describe('docker-compose.yml', () => {
  it('names the servers and the four services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'call-state', 'clickhouse', 'ingest', 'kafka', 'redis', 'reporting']);
  });

  it('gives every service a health check', () => {
    for (const [name, service] of Object.entries<{ healthcheck?: { test?: unknown } }>(compose.services)) {
      expect(service.healthcheck?.test, name).toBeTruthy();
    }
  });

  it('uses the official Kafka image in KRaft mode and a current ClickHouse', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.clickhouse.image).toMatch(/^clickhouse\/clickhouse-server:2\d\./);
  });

  it('builds each service from the repo and points it at the servers', () => {
    for (const name of ['ingest', 'call-state', 'reporting', 'api']) {
      expect(compose.services[name].build.args.SERVICE).toBe(name);
      expect(compose.services[name].environment.KAFKA_BROKERS).toBe('kafka:9092');
    }
  });
});
