// Small process and port helpers: the repository root, free ports (testkit's), whether a pid lives (and its /proc state), whether
// a port answers, the tail of a log file, and GET /readyz with a time limit.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export { freePort } from '@callpulse/testkit/ports';

/** Whether the pid exists at all, a zombie included. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process runs (a zombie, dead but not reaped yet, does not). */
export function isAlive(pid: number): boolean {
  return pidExists(pid) && processState(pid) !== 'Z';
}

/** The state letter of /proc/<pid>/stat (R, S, D, T stopped, Z zombie), undefined when there is no such process. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = net.connect({ port, host });
    const done = (answer: boolean) => {
      socket.destroy();
      resolveAnswer(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** GET url within timeoutMs: 'ok', or why not (status and body start, or the error). */
export async function probeReady(url: string, timeoutMs = 2000): Promise<'ok' | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return 'ok';
    return `${response.status} ${(await response.text()).slice(0, 200)}`;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    return (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
  }
}
