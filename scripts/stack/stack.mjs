// The local stack as a library: bring Kafka, Redis and ClickHouse up, report their status, stop them by pid.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { clickhouse } from './clickhouse.mjs';
import { ensureDebianPackages, ensureKafkaLibs, ensureNpmDependencies } from './install.mjs';
import { kafka } from './kafka.mjs';
import { dirs, repoRoot, stackDir } from './paths.mjs';
import { portAnswers, runningPid, startDetached, stopPid, tail, waitUntil } from './proc.mjs';
import { redis } from './redis.mjs';

export const servers = [kafka, redis, clickhouse];

const pidFile = (server) => resolve(dirs.pids, `${server.name}.pid`);
const logFile = (server) => resolve(dirs.logs, `${server.name}.log`);
const external = (server) => process.env[server.overriddenBy];

/** Installs what is missing, then starts every server not overridden by env. Returns the names it started. */
export async function up() {
  const local = servers.filter((server) => !external(server));
  // The readiness check of Kafka uses kafkajs: install the npm dependencies only when they are missing altogether
  // (npm start / npm test keep them fresh themselves; a private test stack must not reinstall under running tests).
  if (!existsSync(resolve(repoRoot, 'node_modules/kafkajs'))) ensureNpmDependencies();
  const commands = [];
  if (local.includes(kafka)) commands.push('java', 'mvn');
  if (local.includes(redis)) commands.push('redis-server');
  if (local.includes(clickhouse)) commands.push('/usr/sbin/clickhouse-server');
  ensureDebianPackages(commands);
  if (local.includes(kafka)) ensureKafkaLibs();

  const started = [];
  await Promise.all(
    servers.map(async (server) => {
      if (external(server)) {
        console.log(`[stack] ${server.name}: using ${server.overriddenBy}=${external(server)} (not started here)`);
        return;
      }
      if (await startServer(server)) started.push(server.name);
      console.log(`[stack] ${server.name}: ready at ${server.address()}`);
    }),
  );
  return started;
}

async function startServer(server) {
  const existing = runningPid(pidFile(server));
  if (existing) {
    server.refresh?.();
    await waitUntil({ name: server.name, pid: existing, check: server.check, timeoutMs: server.startTimeoutMs, logFile: logFile(server) });
    return false;
  }
  for (const port of [server.port(), ...server.extraPorts()]) {
    if (await portAnswers(port)) {
      throw new Error(
        `${server.name}: port ${port} is already taken by a process this stack did not start. ` +
          `Stop it, or point the services at it with ${server.overriddenBy}, or move the stack's ${server.name} to another port (see README, "The local stack").`,
      );
    }
  }
  server.prepare();
  const pid = startDetached({ ...server.command(), logFile: logFile(server), pidFile: pidFile(server), cwd: stackDir });
  await waitUntil({ name: server.name, pid, check: server.check, timeoutMs: server.startTimeoutMs, logFile: logFile(server) });
  return true;
}

/** Stops the servers the stack started (all, or the named ones), by pid. Data stays. */
export async function down(names = servers.map((server) => server.name)) {
  await Promise.all(
    servers
      .filter((server) => names.includes(server.name))
      .map(async (server) => {
        const pid = runningPid(pidFile(server));
        if (!pid) return;
        await stopPid(pid);
        rmSync(pidFile(server), { force: true });
        console.log(`[stack] ${server.name}: stopped (pid ${pid})`);
      }),
  );
}

export async function status() {
  const rows = [];
  for (const server of servers) {
    if (external(server)) {
      rows.push({ server: server.name, state: 'external', address: external(server), pid: '' });
      continue;
    }
    const pid = runningPid(pidFile(server));
    let answering = false;
    if (pid) answering = await server.check().catch(() => false);
    rows.push({
      server: server.name,
      state: pid ? (answering ? 'running' : 'starting or not answering') : 'stopped',
      address: server.address(),
      pid: pid ?? '',
    });
  }
  return rows;
}

export function logs(names, lines = 40) {
  return servers
    .filter((server) => names.length === 0 || names.includes(server.name))
    .map((server) => `==> ${logFile(server)} <==\n${tail(logFile(server), lines)}`)
    .join('\n\n');
}

/** Wipes data and logs of the stopped stack; the downloaded Kafka jars stay in the cache. */
export function clean() {
  if (!existsSync(stackDir)) return;
  for (const entry of readdirSync(stackDir)) {
    if (entry !== 'cache') rmSync(resolve(stackDir, entry), { recursive: true, force: true });
  }
}
