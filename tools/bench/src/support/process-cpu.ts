// CPU time one process used, read from /proc/<pid>/stat (user + system clock ticks), and the cost of a unit of work
// from two readings around a measurement: microseconds of CPU per request or per event, and ratios of two such costs.
import { readFileSync } from 'node:fs';

/** USER_HZ on Linux: /proc/<pid>/stat counts CPU time in these ticks (10 ms each). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat line, in ticks; null when the line is not one. */
export function ticksOfProcStat(stat: string): number | null {
  // The command name (field 2) is in parentheses and may hold spaces; the fields after it start after the last ')'.
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && fields.length > 12 ? utime + stime : null;
}

/** CPU seconds the process has used so far (all its threads); null when it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const ticks = ticksOfProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return ticks === null ? null : ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Microseconds of CPU per unit (request, event): null without a CPU figure or without units. */
export function cpuMicrosPerUnit(cpuSeconds: number | null, units: number): number | null {
  if (cpuSeconds === null || !Number.isFinite(cpuSeconds) || !(units > 0)) return null;
  return (cpuSeconds * 1e6) / units;
}

/** a / b, null when either is missing or b is 0. */
export function ratioOf(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return a / b;
}

export interface CpuWatch {
  /** CPU seconds each process used since the watch started (null for one that is gone), and the wall seconds. */
  stop(): { cpuSeconds: Record<string, number | null>; wallSeconds: number };
}

/** Reads the CPU time of each named process now, and again at stop(). */
export function watchCpu(pids: Record<string, number>): CpuWatch {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]));
  const started = performance.now();
  return {
    stop: () => {
      const wallSeconds = (performance.now() - started) / 1000;
      const cpuSeconds = Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => {
          const start = before[name] ?? null;
          const end = processCpuSeconds(pid);
          return [name, start === null || end === null ? null : end - start];
        }),
      );
      return { cpuSeconds, wallSeconds };
    },
  };
}

/** The sum of several processes' CPU seconds; null if any is missing. */
export function sumCpu(values: (number | null)[]): number | null {
  let total = 0;
  for (const value of values) {
    if (value === null) return null;
    total += value;
  }
  return total;
}
