// The webhook fuzzer, a seeded short run (the full one: npm run fuzz -- --count 100000 --seed N): 10,000 mutated
// webhooks through ingest's decision and the call model's decode, normalise and fold (what call-state runs).

import { decodeMessage, foldStoredSession, type PartyEvent } from '@callpulse/call-model';
import { describe, expect, it } from 'vitest';
import type { CallModel } from '../../src/fuzz/judge.js';
import { mutants, runFuzz } from '../../src/fuzz/run.js';

const callState: CallModel = {
  decode: (message) => decodeMessage(message),
  fold: (events) => foldStoredSession(events as PartyEvent[], () => true),
};

describe('webhook fuzzing', () => {
  it('10,000 mutated webhooks: no throw, every rejection names a field, every acceptance folds to bounded timings', () => {
    const summary = runFuzz({ count: 10000, seed: 20261130, model: callState, nowMs: Date.parse('2026-11-30T12:00:00Z') });
    const shown = summary.violations
      .slice(0, 5)
      .map(({ index, mutations, detail }) => ({ index, mutations, detail: detail.slice(0, 300) }));
    expect(shown).toEqual([]);
    expect(summary.count).toBe(10000);
    // The mutations reach both sides: plenty accepted (and folded), plenty rejected, for many different fields.
    expect(summary.verdicts.accepted).toBeGreaterThan(1000);
    expect(summary.verdicts['dead-lettered']).toBeGreaterThan(3000);
    expect(Object.keys(summary.reasons).length).toBeGreaterThan(10);
  });

  it('is reproducible: the same seed gives the same bodies', () => {
    const take = (seed: number) => {
      const out: string[] = [];
      for (const { index, mutant } of mutants(seed, 0)) {
        if (index >= 50) break;
        out.push(mutant.raw.toString('base64'));
      }
      return out;
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });
});
