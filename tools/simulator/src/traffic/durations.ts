// Realistic durations of one call in simulated time, then compressed by the speed into the event times actually sent.
import type { ScenarioParams } from '@callpulse/testkit/scenarios';
import type { Random } from './random.js';

export type CallDurations = Pick<ScenarioParams, 'ringMs' | 'talkMs' | 'holdMs' | 'ivrMs' | 'queueWaitMs' | 'parkMs' | 'voicemailMs'>;

/** The scenario library's floor for a duration parameter. */
export const MIN_DURATION_MS = 100;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Durations as people make them: ring 5-20 s, talk log-normal with a median of 2.5 min (mean 3 min), holds around 30 s, queue waits around 20 s. */
export function drawDurations(random: Random): CallDurations {
  return {
    ringMs: random.int(5000, 20000),
    talkMs: clamp(random.logNormal(150_000, 0.6), 20_000, 1_800_000),
    holdMs: clamp(random.logNormal(30_000, 0.5), 5_000, 300_000),
    ivrMs: random.int(4000, 15000),
    queueWaitMs: clamp(random.logNormal(20_000, 0.7), 2_000, 300_000),
    parkMs: random.int(5000, 60000),
    voicemailMs: random.int(8000, 40000),
  };
}

/** Divides every duration by `speed` (whole ms, at least the library's floor), so a sped-up call stays consistent. */
export function scaleDurations(durations: CallDurations, speed: number): CallDurations {
  const scaled = {} as CallDurations;
  for (const [name, value] of Object.entries(durations) as Array<[keyof CallDurations, number]>) {
    scaled[name] = Math.max(MIN_DURATION_MS, Math.round(value / speed));
  }
  return scaled;
}
