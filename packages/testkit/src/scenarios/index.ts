// The scenario library: realistic RingCentral notification sequences with their ground truth, by name.
// Used by the tests (every scenario, in any order) and by the load simulator (many calls, cheaply).
import { concurrentCalls } from './concurrent.js';
import { inboundAnsweredTwoHolds, inboundMissed, inboundVoicemail } from './direct.js';
import { internalCall } from './internal.js';
import { ivrToAgent } from './ivr.js';
import { createKit, type Kit } from './kit.js';
import { outboundAnswered, outboundUnanswered } from './outbound.js';
import { resolveParams } from './params.js';
import { parkAndPickup } from './park.js';
import { queueAbandoned, queueAnswered } from './queue.js';
import { createRandom } from './random.js';
import { greetingRecording, inboundFax, redirectedRing, supervisedCall } from './special.js';
import { attendedTransfer, blindTransfer } from './transfer.js';
import type { BuiltScenario, ScenarioParams } from './types.js';

const builders = {
  'inbound-answered-two-holds': inboundAnsweredTwoHolds,
  'inbound-missed': inboundMissed,
  'inbound-voicemail': inboundVoicemail,
  'outbound-answered': outboundAnswered,
  'outbound-unanswered': outboundUnanswered,
  'internal-call': internalCall,
  'ivr-to-agent': ivrToAgent,
  'queue-answered': queueAnswered,
  'queue-abandoned': queueAbandoned,
  'blind-transfer': blindTransfer,
  'attended-transfer': attendedTransfer,
  'park-and-pickup': parkAndPickup,
  'concurrent-calls': concurrentCalls,
  'inbound-fax': inboundFax,
  'redirected-ring': redirectedRing,
  'supervised-call': supervisedCall,
  'greeting-recording': greetingRecording,
} satisfies Record<string, (kit: Kit) => Omit<BuiltScenario, 'name'>>;

export type ScenarioName = keyof typeof builders;
export const scenarioNames = Object.keys(builders) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(builders, name);
}

/**
 * Builds one call (or the sessions of one scenario) with the given parameters; what is not given is drawn from
 * `seed` (default 1), so the same name and parameters always give the same notifications.
 */
export function buildScenario(name: string, params: Partial<ScenarioParams> = {}): BuiltScenario {
  if (!isScenarioName(name)) throw new Error(`unknown scenario ${JSON.stringify(name)}; known: ${scenarioNames.join(', ')}`);
  const random = createRandom(params.seed ?? 1);
  const resolved = resolveParams(params, random);
  const built = builders[name](createKit(resolved, random));
  return { name, ...built, notifications: built.notifications.sort((a, b) => a.sendAtMs - b.sendAtMs) };
}

export { createRandom, type Random } from './random.js';
export type { BuiltScenario, ExpectedLeg, ExpectedSummary, ScenarioParams, TimedNotification } from './types.js';
