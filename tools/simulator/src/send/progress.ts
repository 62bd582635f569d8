// Progress of a run: counters, one status line (rewritten in place on a terminal, printed periodically otherwise).

export interface SimulationCounters {
  callsStarted: number;
  /** Calls whose every notification (and duplicate) was acknowledged by the webhook. */
  callsDelivered: number;
  /** Calls with at least one notification the webhook refused or that failed every attempt (not in the truth). */
  callsFailed: number;
  /** Arrivals dropped because not enough agents were free. */
  callsSkipped: number;
  eventsSent: number;
  duplicatesSent: number;
  delayedEvents: number;
  retries: number;
  errors: number;
  inFlight: number;
}

export function emptyCounters(): SimulationCounters {
  return {
    callsStarted: 0,
    callsDelivered: 0,
    callsFailed: 0,
    callsSkipped: 0,
    eventsSent: 0,
    duplicatesSent: 0,
    delayedEvents: 0,
    retries: 0,
    errors: 0,
    inFlight: 0,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

export function formatProgress(label: string, counters: SimulationCounters, elapsedMs: number, eventsPerSecond: number): string {
  const c = counters;
  const active = c.callsStarted - c.callsDelivered - c.callsFailed;
  return (
    `[${label}] ${seconds(elapsedMs)} calls ${c.callsStarted} started, ${active} active, ${c.callsDelivered} ended` +
    `${c.callsSkipped ? `, ${c.callsSkipped} skipped (agents busy)` : ''} | events ${c.eventsSent} sent (${eventsPerSecond.toFixed(0)}/s)` +
    `${c.duplicatesSent ? `, ${c.duplicatesSent} dup` : ''}${c.delayedEvents ? `, ${c.delayedEvents} late` : ''} | retries ${c.retries}, errors ${c.errors}`
  );
}

export interface ProgressOutput {
  write(text: string): void;
  isTTY?: boolean;
}

/** Starts reporting: every 500 ms in place on a TTY, every `intervalMs` as a plain line otherwise. */
export function startProgress(output: ProgressOutput, label: string, counters: SimulationCounters, intervalMs: number) {
  const startedAt = Date.now();
  let lastAt = startedAt;
  let lastSent = 0;
  const tty = output.isTTY === true;
  const line = () => {
    const now = Date.now();
    const rate = ((counters.eventsSent - lastSent) * 1000) / Math.max(1, now - lastAt);
    lastAt = now;
    lastSent = counters.eventsSent;
    return formatProgress(label, counters, now - startedAt, rate);
  };
  const timer = setInterval(() => output.write(tty ? `\r\x1b[2K${line()}` : `${line()}\n`), tty ? 500 : intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (tty) output.write(`\r\x1b[2K${line()}\n`);
    },
  };
}
