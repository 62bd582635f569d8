// Calls from the scenario library (@callpulse/call-state/scenarios) for the bench: a deterministic mix of every
// scenario, spread over a pool of agent extensions, each call with its own seed (so its own session ids).
import { type BuiltScenario, buildScenario, type ScenarioParams, scenarioNames } from '@callpulse/testkit/scenarios';

export const benchAccountId = '400500600';

/** Durations of a call squeezed into a few seconds, for traffic sent at a fixed rate in real time. */
export const shortDurations: Partial<ScenarioParams> = {
  ringMs: 1500,
  talkMs: 3000,
  holdMs: 600,
  ivrMs: 800,
  queueWaitMs: 1000,
  parkMs: 800,
  voicemailMs: 1000,
  maxDeliveryDelayMs: 100,
};

export function extensionId(index: number): string {
  return String(500000000 + index);
}

export interface CallOptions {
  /** Seed of the call; distinct seeds give distinct telephony session ids. */
  seed: number;
  startMs: number;
  /** Number of agent extensions the calls are spread over. */
  extensionPool: number;
  /** Scenario name; by default the mix cycles through every scenario by seed. */
  scenario?: string;
  durations?: Partial<ScenarioParams>;
}

export function buildCall(options: CallOptions): BuiltScenario {
  const name = options.scenario ?? scenarioNames[options.seed % scenarioNames.length] ?? 'inbound-missed';
  const first = (options.seed * 7) % options.extensionPool;
  const agentExtensionIds = [0, 1, 2, 3].map((offset) => extensionId((first + offset) % options.extensionPool));
  return buildScenario(name, {
    ...options.durations,
    seed: options.seed,
    startMs: options.startMs,
    accountId: benchAccountId,
    agentExtensionIds,
    queueExtensionId: extensionId(options.extensionPool + 1),
    ivrExtensionId: extensionId(options.extensionPool + 2),
  });
}
