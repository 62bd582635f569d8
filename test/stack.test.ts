// The stack's own lifecycle, on a second stack with its own folder and ports so the suite's servers keep running.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createKafka, createLogger, createRedis, ensureTopics } from '@callpulse/platform';
import { createClient } from '@clickhouse/client';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const stackScript = resolve(import.meta.dirname, '../scripts/stack.mjs');
const dir = mkdtempSync(join(tmpdir(), 'callpulse-stack-'));
const ports = { kafka: 19092, controller: 19093, redis: 16379, http: 18123, tcp: 19000 };
const env = {
  ...process.env,
  STACK_DIR: dir,
  STACK_KAFKA_PORT: String(ports.kafka),
  STACK_KAFKA_CONTROLLER_PORT: String(ports.controller),
  STACK_REDIS_PORT: String(ports.redis),
  STACK_CLICKHOUSE_HTTP_PORT: String(ports.http),
  STACK_CLICKHOUSE_TCP_PORT: String(ports.tcp),
  KAFKA_BROKERS: '',
  REDIS_URL: '',
  CLICKHOUSE_URL: '',
};
const stack = (...args: string[]) => run(process.execPath, [stackScript, ...args], { env, timeout: 240000 });
const logger = createLogger('test', 'silent');

describe('npm run stack', () => {
  afterAll(async () => {
    await stack('down', '--clean').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up twice is harmless, and down then up keeps topics, keys and rows', async () => {
    // The Kafka jars are shared with the suite's stack, so they are not fetched twice.
    rmSync(join(dir, 'cache'), { force: true, recursive: true });
    await run('ln', ['-s', resolve(process.env.STACK_DIR ?? resolve(import.meta.dirname, '../.stack'), 'cache'), join(dir, 'cache')]);
    await stack('up');
    const second = await stack('up');
    expect(second.stdout).toContain(`kafka: ready at 127.0.0.1:${ports.kafka}`);
    const pids = (await stack('status')).stdout;

    const kafka = createKafka({ clientId: 'test', brokers: [`127.0.0.1:${ports.kafka}`], logger });
    await ensureTopics(kafka, [{ topic: 'kept-topic', numPartitions: 2 }]);
    const redis = createRedis(`redis://127.0.0.1:${ports.redis}`);
    await redis.set('kept-key', 'kept');
    await redis.quit();
    const clickhouse = createClient({ url: `http://127.0.0.1:${ports.http}` });
    await clickhouse.command({ query: 'CREATE TABLE IF NOT EXISTS default.kept (n UInt8) ENGINE = MergeTree ORDER BY n' });
    await clickhouse.insert({ table: 'default.kept', values: [{ n: 7 }], format: 'JSONEachRow' });
    await clickhouse.close();

    expect((await stack('status')).stdout).toBe(pids);
    const stopped = await stack('down');
    expect(stopped.stdout).toMatch(/kafka: stopped \(pid \d+\)/);
    expect((await stack('status')).stdout).not.toContain('running');
    // Redis writes its AOF every second; a SIGTERM'd redis-server flushes it before exiting.
    await stack('up');

    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain('kept-topic');
    await admin.disconnect();
    const redisAgain = createRedis(`redis://127.0.0.1:${ports.redis}`);
    expect(await redisAgain.get('kept-key')).toBe('kept');
    await redisAgain.quit();
    const clickhouseAgain = createClient({ url: `http://127.0.0.1:${ports.http}` });
    const rows = await (await clickhouseAgain.query({ query: 'SELECT n FROM default.kept', format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ n: 7 }]);
    await clickhouseAgain.close();
  }, 300_000);

  it('refuses a port taken by another process with a clear error', async () => {
    const blocker = net.createServer(() => undefined);
    await new Promise<void>((listening) => blocker.listen(16390, '127.0.0.1', listening));
    try {
      const attempt = run(process.execPath, [stackScript, 'up'], {
        env: {
          ...env,
          STACK_DIR: join(dir, 'other'),
          STACK_REDIS_PORT: '16390',
          KAFKA_BROKERS: '127.0.0.1:1',
          CLICKHOUSE_URL: 'http://127.0.0.1:1',
        },
        timeout: 60000,
      });
      await expect(attempt).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('redis: port 16390 is already taken by a process this stack did not start'),
      });
    } finally {
      blocker.close();
    }
  });
});
