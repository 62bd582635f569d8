// A Redis server of the bench's own, for a measurement that counts Redis commands (INFO commandstats is per server,
// and the local stack's Redis is shared with whatever else runs on the machine): configured as the local stack's
// (scripts/stack/redis.mjs: AOF, fsync every second, no RDB snapshots), on a free port in a temporary directory,
// stopped by pid and removed at clean-up. null when redis-server is not installed or does not start.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedis } from '@callpulse/platform';
import { freePort } from './children.js';
import type { Cleanup } from './cleanup.js';

export interface PrivateRedis {
  url: string;
  pid: number;
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPrivateRedis(cleanup: Cleanup): Promise<PrivateRedis | null> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'callpulse-bench-redis-'));
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec'];
  const child = spawn('redis-server', [...args, '--save', '', '--daemonize', 'no', '--logfile', ''], { stdio: 'ignore' });
  const failed = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(true));
    child.once('spawn', () => resolve(false));
  });
  if (failed || child.pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const pid = child.pid;
  cleanup.add(`stop the bench's own redis-server (pid ${pid})`, async () => {
    child.kill('SIGTERM');
    await Promise.race([stopped(child), sleep(10000).then(() => child.kill('SIGKILL'))]);
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && child.exitCode === null) {
    const redis = createRedis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const ok = await redis.ping().then(
      () => true,
      () => false,
    );
    redis.disconnect();
    if (ok) return { url, pid };
    await sleep(100);
  }
  return null;
}
