// Scenario parameters: defaults, seeded durations and a clear error for each bad value.
import type { Random } from './random.js';
import type { ScenarioParams } from './types.js';

const durationRanges = {
  ringMs: [3000, 20000],
  talkMs: [30000, 300000],
  holdMs: [5000, 60000],
  ivrMs: [4000, 15000],
  queueWaitMs: [2000, 45000],
  parkMs: [5000, 60000],
  voicemailMs: [8000, 40000],
} as const;

const durationNames = Object.keys(durationRanges) as Array<keyof typeof durationRanges>;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`scenario parameter ${message}`);
}

/** Fills what is not given (durations and endedBy from the seed) and checks the rest. */
export function resolveParams(given: Partial<ScenarioParams>, random: Random): ScenarioParams {
  const seed = given.seed ?? 1;
  check(Number.isSafeInteger(seed), `seed must be an integer, got ${seed}`);
  const durations = {} as Record<(typeof durationNames)[number], number>;
  for (const name of durationNames) {
    const [min, max] = durationRanges[name];
    const value = given[name] ?? random.int(min, max);
    check(Number.isSafeInteger(value) && value >= 100, `${name} must be an integer number of ms of at least 100, got ${value}`);
    durations[name] = value;
  }
  const params: ScenarioParams = {
    seed,
    startMs: given.startMs ?? Date.UTC(2026, 2, 2, 9, 0, 0),
    accountId: given.accountId ?? '100200300',
    agentExtensionIds: given.agentExtensionIds ?? ['200300401', '200300402', '200300403', '200300404'],
    queueExtensionId: given.queueExtensionId ?? '200300480',
    queueName: given.queueName ?? 'Support Queue',
    ivrExtensionId: given.ivrExtensionId ?? '200300490',
    customerNumber: given.customerNumber ?? '+15550100123',
    companyNumber: given.companyNumber ?? '+18885550142',
    ...durations,
    endedBy: given.endedBy ?? random.pick(['agent', 'customer'] as const),
    maxDeliveryDelayMs: given.maxDeliveryDelayMs ?? 400,
  };
  check(Number.isSafeInteger(params.startMs) && params.startMs > 0, `startMs must be a positive epoch ms, got ${params.startMs}`);
  check(params.endedBy === 'agent' || params.endedBy === 'customer', `endedBy must be 'agent' or 'customer', got ${params.endedBy}`);
  check(
    Number.isSafeInteger(params.maxDeliveryDelayMs) && params.maxDeliveryDelayMs >= 0,
    'maxDeliveryDelayMs must be a non-negative integer',
  );
  for (const name of ['accountId', 'queueExtensionId', 'ivrExtensionId', 'customerNumber', 'companyNumber', 'queueName'] as const) {
    check(typeof params[name] === 'string' && params[name].length > 0, `${name} must be a non-empty string`);
  }
  check(
    params.agentExtensionIds.every((id) => typeof id === 'string' && id.length > 0),
    'agentExtensionIds must be non-empty strings',
  );
  return params;
}

/** The first `count` agents, or an error naming the scenario that needs them. */
export function agents(params: ScenarioParams, count: number, scenario: string): string[] {
  check(params.agentExtensionIds.length >= count, `agentExtensionIds: ${scenario} needs ${count}, got ${params.agentExtensionIds.length}`);
  return params.agentExtensionIds.slice(0, count);
}
