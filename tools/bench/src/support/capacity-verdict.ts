// Whether a step of the capacity run held its rate: the sender achieved it with every webhook accepted, the GraphQL push
// p99 and the ClickHouse visibility p99 stayed within their limits, call-state was not falling behind (its lag,
// sampled while sending, not growing) and the pipeline drained in time. Pure: the part measures, this decides.

export const capacityLimits = {
  pushP99Ms: 150,
  visibilityP99Ms: 2000,
  /** The rate the sender achieved (webhooks accepted per second) must be at least this share of the target. */
  achievedShare: 0.97,
  /** Falling behind: call-state's lag grows by more than this share of the rate per second over the step... */
  lagGrowthShare: 0.05,
  /** ...or is more than this many seconds of the rate when the sending ends (commits alone keep it ~3 s behind). */
  lagSecondsAtEnd: 10,
} as const;

export interface LagSample {
  /** Seconds since the step's sending began. */
  atSeconds: number;
  /** Events of the topic call-state's group has not committed. */
  lag: number;
}

export interface StepMeasurement {
  rate: number;
  sent: number;
  /** From the first webhook sent to the last one answered. */
  sendSeconds: number;
  failures: number;
  /** Events not sent because `maxUnanswered` webhooks were waiting for ingest's answer. */
  skipped: number;
  maxUnanswered: number;
  pushP99Ms: number | null;
  visibilityP99Ms: number | null;
  lagSamples: LagSample[];
  /** After the sending, call-state and reporting committed everything and every expected leg was seen in time. */
  drained: boolean;
  /** How long the drain was allowed. */
  drainLimitSeconds: number;
}

export interface StepVerdict {
  holds: boolean;
  achievedRate: number;
  /** Growth of call-state's lag over the step (least squares, events per second; about 0 when it keeps up). */
  lagGrowthPerSecond: number | null;
  /** Why the step did not hold (empty when it held). */
  reasons: string[];
}

/**
 * The slope of lag over time by least squares, leaving out the first quarter of the step (the lag climbs to its level
 * of committed-but-not-durable offsets first); null with fewer than three samples.
 */
export function lagGrowth(samples: readonly LagSample[]): number | null {
  if (samples.length === 0) return null;
  const last = samples[samples.length - 1]?.atSeconds ?? 0;
  const used = samples.filter((sample) => sample.atSeconds >= last / 4);
  if (used.length < 3) return null;
  const meanT = used.reduce((sum, sample) => sum + sample.atSeconds, 0) / used.length;
  const meanL = used.reduce((sum, sample) => sum + sample.lag, 0) / used.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of used) {
    covariance += (sample.atSeconds - meanT) * (sample.lag - meanL);
    variance += (sample.atSeconds - meanT) ** 2;
  }
  return variance === 0 ? null : covariance / variance;
}

export function judgeStep(step: StepMeasurement): StepVerdict {
  const reasons: string[] = [];
  const accepted = step.sent - step.skipped - step.failures;
  const achievedRate = step.sendSeconds > 0 ? accepted / step.sendSeconds : 0;
  if (achievedRate < step.rate * capacityLimits.achievedShare) {
    reasons.push(`sender achieved ${Math.round(achievedRate)}/s of ${step.rate}/s`);
  }
  if (step.failures > 0) reasons.push(`${step.failures} webhooks not accepted`);
  if (step.skipped > 0) reasons.push(`${step.skipped} webhooks not sent: ${step.maxUnanswered} were unanswered (ingest behind)`);
  if (step.pushP99Ms === null) reasons.push('no push latency measured');
  else if (step.pushP99Ms >= capacityLimits.pushP99Ms) reasons.push(`push p99 ${Math.round(step.pushP99Ms)} ms`);
  if (step.visibilityP99Ms === null) reasons.push('no ClickHouse visibility measured');
  else if (step.visibilityP99Ms >= capacityLimits.visibilityP99Ms) reasons.push(`ClickHouse p99 ${Math.round(step.visibilityP99Ms)} ms`);
  const growth = lagGrowth(step.lagSamples);
  if (growth !== null && growth > step.rate * capacityLimits.lagGrowthShare) {
    reasons.push(`call-state lag growing ${Math.round(growth)} events/s`);
  }
  const endLag = step.lagSamples[step.lagSamples.length - 1]?.lag;
  if (endLag !== undefined && endLag > step.rate * capacityLimits.lagSecondsAtEnd) {
    reasons.push(`call-state ${endLag} events behind when the sending ended`);
  }
  if (!step.drained) reasons.push(`not drained within ${step.drainLimitSeconds} s`);
  return { holds: reasons.length === 0, achievedRate, lagGrowthPerSecond: growth, reasons };
}

/** The highest target rate of the steps held before the first that did not (null when the first did not). */
export function highestHeld(steps: ReadonlyArray<{ rate: number; verdict: StepVerdict }>): number | null {
  let held: number | null = null;
  for (const step of steps) {
    if (!step.verdict.holds) break;
    held = step.rate;
  }
  return held;
}
