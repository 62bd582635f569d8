// Random figures of a leg for the history tests and the chdb compatibility check: a result (answered most often), a
// direction, ring, talk (only when answered or transferred, and not always) and hold (only with talk). Deterministic
// with a seeded rand (testkit's createRandom), so a failure can be replayed.
import type { CompletedLegRecord, LegResult } from '@callpulse/contracts';

const usualResults: readonly LegResult[] = ['Answered', 'Answered', 'Answered', 'Missed', 'Voicemail', 'Cancelled', 'Transferred'];

export function randomLegFigures(rand: () => number, results: readonly LegResult[] = usualResults): Partial<CompletedLegRecord> {
  const result = results[Math.floor(rand() * results.length)] as LegResult;
  const talked = result === 'Answered' || result === 'Transferred';
  const talkMs = talked && rand() > 0.1 ? 1 + Math.floor(rand() * 600_000) : 0;
  const holdMs = talkMs > 0 && rand() < 0.3 ? 1 + Math.floor(rand() * 120_000) : 0;
  return {
    result,
    direction: rand() < 0.7 ? 'Inbound' : 'Outbound',
    ringMs: rand() < 0.2 ? 0 : 1 + Math.floor(rand() * 30_000),
    talkMs,
    holdMs,
    holdCount: holdMs > 0 ? 1 : 0,
    missedCall: result === 'Missed',
  };
}
