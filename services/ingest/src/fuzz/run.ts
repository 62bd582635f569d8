// A fuzzing run: N mutated webhooks from valid calls and events (seeded), each judged; a summary of verdicts and the
// violations with what was mutated, enough to reproduce one (seed and index).
import { baseCall, baseOtherEvent, type JsonObject, seededRandom } from './base-calls.js';
import { type CallModel, judgeWebhook, type Verdict } from './judge.js';
import { createMutator } from './mutations.js';

export interface FuzzOptions {
  count: number;
  seed: number;
  model: CallModel;
  /** The time the webhooks are "received" (and the calls end shortly before); fixed for a reproducible run. */
  nowMs?: number;
  onProgress?: (done: number) => void;
}

export interface Violation {
  index: number;
  mutations: string[];
  detail: string;
  raw: Buffer;
}

export interface FuzzSummary {
  count: number;
  seed: number;
  verdicts: Record<Verdict, number>;
  /** Dead-letter reasons by the field they name, e.g. "`body.sequence`". */
  reasons: Record<string, number>;
  violations: Violation[];
}

/** One mutated webhook, `index` of a run with `seed`: the same pair always gives the same body. */
export function* mutants(seed: number, nowMs: number) {
  const random = seededRandom(seed);
  const mutator = createMutator(random, nowMs);
  for (let index = 0; ; index++) {
    const other = random() < 0.1;
    const call = other ? { notifications: [baseOtherEvent(random, nowMs)] } : baseCall(random, nowMs);
    const at = Math.floor(random() * call.notifications.length);
    const mutant = mutator.mutate(call.notifications[at] as JsonObject);
    const siblings = call.notifications.filter((_, i) => i !== at).map((notification) => Buffer.from(JSON.stringify(notification)));
    yield { index, mutant, siblings };
  }
}

export function runFuzz(options: FuzzOptions): FuzzSummary {
  const nowMs = options.nowMs ?? Date.now();
  const summary: FuzzSummary = {
    count: 0,
    seed: options.seed,
    verdicts: { 'dead-lettered': 0, accepted: 0, 'other-event': 0, 'too-large': 0, violation: 0 },
    reasons: {},
    violations: [],
  };
  for (const { index, mutant, siblings } of mutants(options.seed, nowMs)) {
    if (index >= options.count) break;
    const judgement = judgeWebhook(mutant.raw, siblings, nowMs, options.model);
    summary.count++;
    summary.verdicts[judgement.verdict]++;
    if (judgement.verdict === 'dead-lettered' && judgement.detail) {
      const field = (/`[^`]+`/.exec(judgement.detail)?.[0] ?? judgement.detail.replace(/ \(.*$/, '')).replace(/\[\d+\]/g, '[i]');
      summary.reasons[field] = (summary.reasons[field] ?? 0) + 1;
    }
    if (judgement.verdict === 'violation' && summary.violations.length < 50) {
      summary.violations.push({ index, mutations: mutant.mutations, detail: judgement.detail ?? '', raw: mutant.raw });
    }
    if (index % 1000 === 999) options.onProgress?.(index + 1);
  }
  return summary;
}
