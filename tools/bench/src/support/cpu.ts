// Where the CPU went during a measurement: CPU time of the service children and of the local stack's servers (their
// pids from .stack/pids), read from /proc/<pid>/stat, as a share of one core. On a small machine this shows which
// process is the bottleneck (a process near 100% of a core is saturated).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './env.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

/** The stack's servers this machine runs (kafka, redis, clickhouse) by pid, when the local stack started them. */
export function stackServerPids(): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const name of ['kafka', 'redis', 'clickhouse']) {
    try {
      const pid = Number(readFileSync(resolve(repoRoot, '.stack/pids', `${name}.pid`), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) pids[name] = pid;
    } catch {
      // not started by the local stack
    }
  }
  return pids;
}

export interface CpuMeter {
  /** "name 93%, ..." of one core each, busiest first, since the meter started. */
  stop(): string;
  /** CPU time of each process since the meter started, as a share of one core (1 = a whole core), busiest first. */
  shares(): Array<{ name: string; share: number }>;
}

export function startCpuMeter(pids: Record<string, number>): CpuMeter {
  const all = { bench: process.pid, ...stackServerPids(), ...pids };
  const before = new Map(Object.entries(all).map(([name, pid]) => [name, cpuTicks(pid)]));
  const started = performance.now();
  const shares = () => {
    const seconds = (performance.now() - started) / 1000;
    return Object.entries(all)
      .map(([name, pid]) => {
        const start = before.get(name);
        const end = cpuTicks(pid);
        return { name, share: start == null || end == null ? null : (end - start) / TICKS_PER_SECOND / seconds };
      })
      .filter((entry): entry is { name: string; share: number } => entry.share !== null)
      .sort((a, b) => b.share - a.share);
  };
  return {
    shares,
    stop: () =>
      shares()
        .map(({ name, share }) => `${name} ${Math.round(share * 100)}%`)
        .join(', '),
  };
}

/** From /proc/pressure/cpu's text: the "some" line's total, microseconds during which a runnable task waited for a core. */
export function cpuStallMicrosOf(text: string): number | null {
  const total = /^some .*\btotal=(\d+)/m.exec(text)?.[1];
  return total === undefined ? null : Number(total);
}

function cpuStallMicros(): number | null {
  try {
    return cpuStallMicrosOf(readFileSync('/proc/pressure/cpu', 'utf8'));
  } catch {
    return null; // a kernel without PSI
  }
}

/**
 * The share of a measurement's wall time during which at least one runnable task of the machine waited for a core
 * (PSI "cpu some"): near 100 % the cores are saturated and every latency includes queueing for them. null where the
 * kernel has no /proc/pressure.
 */
export function startCpuPressureMeter(): { stop(): number | null } {
  const before = cpuStallMicros();
  const started = performance.now();
  return {
    stop: () => {
      const after = cpuStallMicros();
      if (before === null || after === null) return null;
      return (after - before) / ((performance.now() - started) * 1000);
    },
  };
}
