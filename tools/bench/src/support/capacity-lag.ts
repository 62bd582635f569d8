// The pipeline's progress during a capacity step: call-state's consumer lag sampled while the webhooks go out (is it
// falling behind?), then the drain after the sending, so that no clock stops before what was sent has been handled.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from '@callpulse/platform';
import type { LagSample } from './capacity-verdict.js';
import { consumerLag } from './kafka.js';

export interface GroupTopic {
  groupId: string;
  topic: string;
}

export interface LagSampler {
  /** Stops sampling; resolves with the samples taken (seconds since the sampler started). */
  stop(): Promise<LagSample[]>;
}

export function sampleLag(admin: Admin, callState: GroupTopic, intervalMs = 1000): LagSampler {
  const samples: LagSample[] = [];
  const started = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      await sleep(intervalMs);
      if (!running) break;
      const lag = await consumerLag(admin, callState.groupId, callState.topic).catch(() => undefined);
      if (lag !== undefined) samples.push({ atSeconds: (performance.now() - started) / 1000, lag });
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

export interface Drain {
  seconds: number;
  /** Everything was handled within the time allowed. */
  drained: boolean;
  /** Lags when the drain ended. */
  callStateLag: number;
  reportingLag: number;
}

/** Waits until call-state and reporting have committed everything and `done()` holds (every expected leg seen), bounded. */
export async function drainPipeline(
  admin: Admin,
  groups: { callState: GroupTopic; reporting: GroupTopic },
  done: () => boolean,
  timeoutMs: number,
): Promise<Drain> {
  const started = performance.now();
  let callStateLag = Number.NaN;
  let reportingLag = Number.NaN;
  for (;;) {
    [callStateLag, reportingLag] = await Promise.all([
      consumerLag(admin, groups.callState.groupId, groups.callState.topic).catch(() => Number.NaN),
      consumerLag(admin, groups.reporting.groupId, groups.reporting.topic).catch(() => Number.NaN),
    ]);
    const drained = callStateLag === 0 && reportingLag === 0 && done();
    const elapsed = performance.now() - started;
    if (drained || elapsed >= timeoutMs) return { seconds: elapsed / 1000, drained, callStateLag, reportingLag };
    await sleep(250);
  }
}
