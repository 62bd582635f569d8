// Poisson call arrivals: exponential gaps between calls, in simulated (account) time.
import type { Random } from './random.js';

/** Arrival offsets in simulated ms from the start, for `ratePerSecond` calls per simulated second on average. */
export function* poissonArrivals(random: Random, ratePerSecond: number): Generator<number, never> {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
    throw new Error(`arrival rate must be a positive number, got ${ratePerSecond}`);
  let offsetMs = 0;
  for (;;) {
    offsetMs += random.exponential(ratePerSecond) * 1000;
    yield offsetMs;
  }
}
