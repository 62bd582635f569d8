// Redis from Debian's redis-server, on its own config, AOF on (appendfsync everysec) so a restart keeps state.
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import { dirs, ports } from './paths.mjs';

const config = resolve(dirs.redis, 'redis.conf');

/** Sends PING and resolves true on +PONG. */
export function ping(port, host = '127.0.0.1') {
  return new Promise((resolvePing, reject) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolvePing(data.toString().startsWith('+PONG'));
    });
    socket.once('error', reject);
  });
}

export const redis = {
  name: 'redis',
  overriddenBy: 'REDIS_URL',
  port: () => ports.redis,
  address: () => `redis://127.0.0.1:${ports.redis}`,
  extraPorts: () => [],
  startTimeoutMs: 30000,
  prepare() {
    const dataDir = resolve(dirs.redis, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      config,
      [
        'bind 127.0.0.1',
        `port ${ports.redis}`,
        'daemonize no',
        `dir ${dataDir}`,
        'appendonly yes',
        'appendfsync everysec',
        'save ""',
        'loglevel notice',
        'logfile ""',
        '',
      ].join('\n'),
    );
  },
  command: () => ({ command: 'redis-server', args: [config] }),
  check: () => ping(ports.redis),
};
