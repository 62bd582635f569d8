// A second, private stack (own folder and ports) for tests that stop a server, so the suite's servers keep running.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './service-process.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../..');
const stackScript = resolve(repoRoot, 'scripts/stack.mjs');

export interface PrivateStack {
  kafkaBrokers: string;
  redisUrl: string;
  clickhouseUrl: string;
  up: () => Promise<void>;
  down: () => Promise<void>;
  /**
   * Sends a signal to one private server: SIGKILL (a crash) or SIGTERM waits until it is gone (up() starts it
   * again); SIGSTOP / SIGCONT stall and resume it.
   */
  kill: (name: 'kafka' | 'redis' | 'clickhouse', signal: NodeJS.Signals) => Promise<void>;
  destroy: () => Promise<void>;
}

/** Only the named servers are started privately; the others point at the suite's servers. */
export async function privateStack(only: Array<'kafka' | 'redis' | 'clickhouse'>): Promise<PrivateStack> {
  const dir = mkdtempSync(join(tmpdir(), 'callpulse-private-'));
  // The Kafka jars of the suite's stack (STACK_DIR, default .stack), so they are not fetched again.
  symlinkSync(resolve(repoRoot, process.env.STACK_DIR || '.stack', 'cache'), join(dir, 'cache'));
  const [kafka, controller, redis, http, tcp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const urls = {
    kafkaBrokers: only.includes('kafka') ? `127.0.0.1:${kafka}` : (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    redisUrl: only.includes('redis') ? `redis://127.0.0.1:${redis}` : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    clickhouseUrl: only.includes('clickhouse') ? `http://127.0.0.1:${http}` : (process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123'),
  };
  const env = {
    ...process.env,
    STACK_DIR: dir,
    STACK_KAFKA_PORT: String(kafka),
    STACK_KAFKA_CONTROLLER_PORT: String(controller),
    STACK_REDIS_PORT: String(redis),
    STACK_CLICKHOUSE_HTTP_PORT: String(http),
    STACK_CLICKHOUSE_TCP_PORT: String(tcp),
    KAFKA_BROKERS: only.includes('kafka') ? '' : urls.kafkaBrokers,
    REDIS_URL: only.includes('redis') ? '' : urls.redisUrl,
    CLICKHOUSE_URL: only.includes('clickhouse') ? '' : urls.clickhouseUrl,
  };
  const stack = async (...args: string[]) => {
    await run(process.execPath, [stackScript, ...args], { env, timeout: 180000 });
  };
  return {
    ...urls,
    up: () => stack('up'),
    down: () => stack('down'),
    kill: async (name, signal) => {
      const pid = Number(readFileSync(join(dir, 'pids', `${name}.pid`), 'utf8'));
      process.kill(pid, signal);
      if (signal === 'SIGSTOP' || signal === 'SIGCONT') return;
      for (;;) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        await sleep(50);
      }
    },
    destroy: async () => {
      await stack('down', '--clean').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
