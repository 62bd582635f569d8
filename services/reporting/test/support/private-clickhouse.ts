// A private ClickHouse started with the project's stack script (own folder and ports), for a test that stops it;
// the shared servers keep running. Kafka and Redis point at the shared ones, so the script starts only ClickHouse.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { kafkaBrokers, redisUrl } from '../../../../test/support/env.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../../../..');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

export async function privateClickHouse() {
  const dir = mkdtempSync(join(tmpdir(), 'reporting-clickhouse-'));
  const [http, tcp] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STACK_DIR: dir,
    STACK_CLICKHOUSE_HTTP_PORT: String(http),
    STACK_CLICKHOUSE_TCP_PORT: String(tcp),
    KAFKA_BROKERS: kafkaBrokers.join(','),
    REDIS_URL: redisUrl,
  };
  delete env.CLICKHOUSE_URL;
  const stack = (...args: string[]) => run(process.execPath, [resolve(repoRoot, 'scripts/stack.mjs'), ...args], { env, timeout: 120000 });
  return {
    url: `http://127.0.0.1:${http}`,
    up: () => stack('up'),
    down: () => stack('down'),
    destroy: async () => {
      await stack('down', '--clean');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
