// Child processes of the bench (the built services, the bare handler): started with their env, waited for, measured
// (VmRSS from /proc), and stopped by pid: SIGTERM, then SIGKILL if the process has not exited in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cleanup } from './cleanup.js';
import { repoRoot, serverEnv } from './env.js';

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last 16 KiB of its stdout and stderr, for error messages. */
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** Script path relative to the repo root (e.g. services/ingest/dist/main.js), or absolute. */
  script: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  cleanup: Cleanup;
}

export function startChild(options: StartOptions): Child {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(repoRoot, options.script)], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...serverEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.script})`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-16384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(20000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const handle: Child = { name: options.name, pid: child.pid, process: child, output: () => output, exited, stop };
  options.cleanup.add(`stop ${options.name} (pid ${child.pid})`, stop);
  return handle;
}

/** Waits until GET url answers 200; fails early (with the child's output) if the child exits. */
export async function waitUntilReady(child: Child, url: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  child.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${child.name} exited with ${exitCode} before it was ready:\n${child.output()}`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${child.name} was not ready at ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

/** Resident memory of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export { freePort } from '@callpulse/testkit/ports';
