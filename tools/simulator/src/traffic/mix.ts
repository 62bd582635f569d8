// The scenario mix: which kinds of calls, how often, and how many agents each needs.
import { buildScenario, isScenarioName, type ScenarioName, scenarioNames } from '@callpulse/testkit/scenarios';
import type { Random } from './random.js';

/** Relative frequencies of the library's scenarios in a typical business account (sums need not be 100). */
export const defaultWeights: Record<ScenarioName, number> = {
  'inbound-answered-two-holds': 14,
  'inbound-missed': 8,
  'inbound-voicemail': 6,
  'outbound-answered': 16,
  'outbound-unanswered': 5,
  'internal-call': 8,
  'ivr-to-agent': 10,
  'queue-answered': 14,
  'queue-abandoned': 4,
  'blind-transfer': 4,
  'attended-transfer': 3,
  'park-and-pickup': 2,
  'concurrent-calls': 2,
  // What an agent's phone also sees (docs/call-model.md, "No call of an agent's"): rare, but every one must be right.
  'inbound-fax': 1,
  'redirected-ring': 2,
  'supervised-call': 1,
  'greeting-recording': 1,
};

export type ScenarioMix = Array<{ name: ScenarioName; weight: number }>;

/** Parses `a,b,c` (default weights) or `a:3,b:1` (given weights); throws naming the bad entry. */
export function parseScenarioMix(text: string): ScenarioMix {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('names no scenario');
  const mix = entries.map((entry) => {
    const [name = '', weightText] = entry.split(':');
    if (!isScenarioName(name)) throw new Error(`unknown scenario "${name}"; known: ${scenarioNames.join(', ')}`);
    const weight = weightText === undefined ? defaultWeights[name] : Number(weightText);
    if (!(weight > 0) || !Number.isFinite(weight)) throw new Error(`weight of ${name} must be a positive number, got "${weightText}"`);
    return { name, weight };
  });
  const names = mix.map((entry) => entry.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`names ${repeated} twice`);
  return mix;
}

export const defaultMix: ScenarioMix = scenarioNames.map((name) => ({ name, weight: defaultWeights[name] }));

export function pickScenario(mix: ScenarioMix, random: Random): ScenarioName {
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  let point = random.next() * total;
  for (const entry of mix) {
    point -= entry.weight;
    if (point < 0) return entry.name;
  }
  return (mix[mix.length - 1] as ScenarioMix[number]).name;
}

const needed = new Map<ScenarioName, number>();

/** How many distinct agents a scenario uses (read from the library once, so it follows the library). */
export function agentsNeeded(name: ScenarioName): number {
  let count = needed.get(name);
  if (count === undefined) {
    const ids = Array.from({ length: 8 }, (_, index) => `90000000${index}`);
    count = new Set(buildScenario(name, { seed: 1, agentExtensionIds: ids }).monitoredExtensionIds).size;
    needed.set(name, count);
  }
  return count;
}
