// Runs a built service (services/<name>/dist/main.js) as a child process for integration tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '@callpulse/testkit/ports';
import { waitFor } from '@callpulse/testkit/wait';

export { freePort };

const repoRoot = resolve(import.meta.dirname, '../..');
/** The V8 flags every service runs with (services/node-flags.json). */
const nodeFlags = JSON.parse(readFileSync(resolve(repoRoot, 'services/node-flags.json'), 'utf8')) as string[];

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function startServiceProcess(name: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [...nodeFlags, resolve(repoRoot, 'services', name, 'dist/main.js')], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until GET url answers 200 (e.g. a service's /readyz). */
export async function waitForHttpOk(url: string, timeoutMs = 30000): Promise<void> {
  await waitFor(async () => (await fetch(url)).ok, { timeoutMs, what: `${url} to answer 200` });
}
