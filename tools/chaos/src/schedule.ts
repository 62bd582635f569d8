// When each fault of the schedule starts, and how long the traffic must last for it: one fault at a time, a recovery
// gap after each, traffic before the first and after the last. Pure arithmetic; the run waits on it.
import type { Fault } from './faults.js';

export interface ScheduleTiming {
  /** Traffic before the first fault. */
  leadMs: number;
  /** At least this long between the end of a fault (its recovery included) and the start of the next. */
  gapMs: number;
  /** Traffic after the last fault. */
  tailMs: number;
  /** The traffic lasts at least this long (--duration); the faults are then spread over it. */
  minTrafficMs: number;
}

export interface SchedulePlan {
  /** Planned start of each fault, ms after the traffic started. */
  startsMs: number[];
  /** Planned length of the traffic. */
  trafficMs: number;
}

export function planSchedule(faults: readonly Fault[], timing: ScheduleTiming): SchedulePlan {
  const needed = timing.leadMs + faults.reduce((sum, fault) => sum + fault.estimateMs + timing.gapMs, 0) + timing.tailMs;
  const trafficMs = Math.max(needed, timing.minTrafficMs);
  const spare = faults.length === 0 ? 0 : (trafficMs - needed) / faults.length;
  const startsMs: number[] = [];
  let at = timing.leadMs;
  for (const fault of faults) {
    startsMs.push(Math.round(at));
    at += fault.estimateMs + timing.gapMs + spare;
  }
  return { startsMs, trafficMs };
}

/** When fault `index` really starts: at its planned time, but never sooner than a gap after the previous one ended. */
export function nextStartMs(plan: SchedulePlan, index: number, previousEndMs: number | undefined, gapMs: number): number {
  const planned = plan.startsMs[index] ?? 0;
  return previousEndMs === undefined ? planned : Math.max(planned, previousEndMs + gapMs);
}

/** When the traffic stops starting calls: its planned length, and never before a tail after the last fault. */
export function trafficEndMs(plan: SchedulePlan, lastFaultEndMs: number | undefined, tailMs: number): number {
  return Math.max(plan.trafficMs, (lastFaultEndMs ?? 0) + tailMs);
}
