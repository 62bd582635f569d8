// Pinning processes to CPUs with util-linux `taskset`, so a load generator and the server it loads do not take each
// other's core: `taskset -a -p -c <list> <pid>` sets the affinity of every thread of a running process (threads it
// starts later inherit it). Where taskset is missing or the machine has one CPU, nothing is pinned and the caller says so.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The CPU list of a `taskset -p -c <pid>` answer ("pid 42's current affinity list: 0,1"); null if it is not one. */
export function parseAffinityList(output: string): string | null {
  const match = /affinity list:\s*([0-9,\-\s]+)$/m.exec(output.trim());
  return match?.[1] ? match[1].trim() : null;
}

export function tasksetAvailable(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The CPUs the process may run on now; null when taskset cannot tell. */
export function affinityOf(pid: number): string | null {
  try {
    return parseAffinityList(execFileSync('taskset', ['-p', '-c', String(pid)], { encoding: 'utf8' }));
  } catch {
    return null;
  }
}

/** Pins every thread of pid to cpus (e.g. "1"); false when it could not. */
export function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PinPlan {
  /** CPUs of the load generator and of the server under load; null when not pinned (and why in `reason`). */
  generator: string | null;
  server: string | null;
  reason: string;
}

/** Generator on CPU 0, server on CPU 1 (the other servers, Kafka and Redis, stay on both). */
export function pinPlan(): PinPlan {
  if (availableParallelism() < 2) return { generator: null, server: null, reason: 'not pinned: the machine has one CPU' };
  if (!tasksetAvailable()) return { generator: null, server: null, reason: 'not pinned: taskset (util-linux) is not installed' };
  return {
    generator: '0',
    server: '1',
    reason:
      'the load generator (the bench process, every thread) pinned to CPU 0 and the server under load (every thread) to CPU 1 with taskset; Kafka, Redis and everything else on the machine run on both',
  };
}
