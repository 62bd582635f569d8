// Repeating work on an interval: the next run is scheduled when the last one finished (no overlap), timers are
// unref'd (they never keep the process alive), an interval of 0 disables, stop() clears everything.

export function createTimers(onError: (what: string, err: unknown) => void) {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  return {
    every(intervalMs: number, what: string, work: () => Promise<unknown>): void {
      if (intervalMs <= 0) return;
      const next = () => {
        if (stopped) return;
        const timer = setTimeout(async () => {
          timers.delete(timer);
          await work().catch((err: unknown) => onError(what, err));
          next();
        }, intervalMs);
        timer.unref();
        timers.add(timer);
      };
      next();
    },
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
