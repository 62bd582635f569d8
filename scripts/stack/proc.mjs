// Process and port helpers for the local stack: start detached servers, track them by pid, stop them by pid.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

export function readPid(pidFile) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  return Number.isFinite(pid) ? pid : undefined;
}

/** The pid recorded in pidFile when that process still runs; a stale file is removed. */
export function runningPid(pidFile) {
  const pid = readPid(pidFile);
  if (pid && isAlive(pid)) return pid;
  if (pid) rmSync(pidFile, { force: true });
  return undefined;
}

/** Resolves true when something accepts TCP connections on host:port. */
export function portAnswers(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts a server in its own process group, detached from ours, output appended to logFile. */
export function startDetached({ command, args, logFile, pidFile, cwd, env }) {
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(dirname(pidFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/** Stops a process by pid: SIGTERM, then SIGKILL after graceMs. Resolves when it is gone. */
export async function stopPid(pid, graceMs = 20000) {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
}

/** Polls check() until it resolves true; throws with describe() when the process dies or the time is up. */
export async function waitUntil({ name, pid, check, timeoutMs, logFile }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (pid && !isAlive(pid)) {
      throw new Error(`${name} exited during start-up; see ${logFile}:\n${tail(logFile, 15)}`);
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(250);
  }
  throw new Error(
    `${name} did not answer within ${timeoutMs / 1000} s${lastError ? ` (last error: ${lastError.message})` : ''}; see ${logFile}:\n${tail(logFile, 15)}`,
  );
}

export function tail(file, lines) {
  if (!existsSync(file)) return '(no log yet)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
