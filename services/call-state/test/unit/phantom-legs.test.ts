// Phantom legs on the live board: which legs are candidates, and the ended snapshot that takes one off.
import { legAgentState } from '@callpulse/contracts';
import { liveLeg } from '@callpulse/testkit/records';
import { describe, expect, it } from 'vitest';
import { phantomEnd, staleLegs } from '../../src/live/phantom-legs.js';

describe('staleLegs', () => {
  it('keeps the open legs not changed since the cut-off, and only those', () => {
    const old = liveLeg({ partyId: 'old', updatedAtMs: 1000 });
    const atCutOff = liveLeg({ partyId: 'at', updatedAtMs: 5000 });
    const fresh = liveLeg({ partyId: 'fresh', updatedAtMs: 9000 });
    const oldEnded = liveLeg({ partyId: 'ended', updatedAtMs: 1000, ended: true, status: 'Ended' });
    expect(staleLegs([old, atCutOff, fresh, oldEnded], 5000).map((leg) => leg.partyId)).toEqual(['old']);
  });
});

describe('phantomEnd', () => {
  it('ends the leg as the reaper would, when its last status began, with its figures as last shown', () => {
    const talking = liveLeg({
      status: 'Talking',
      statusCode: 'Answered',
      startMs: 1000,
      ringStartMs: 1000,
      answerMs: 8000,
      statusSinceMs: 8000,
      ringMs: 7000,
      talkMs: 60000,
      updatedAtMs: 68000,
    });
    const ended = phantomEnd(talking, 20_000_000);
    expect(ended).toEqual({
      ...talking,
      status: 'Ended',
      statusCode: 'Disconnected',
      endMs: 8000,
      ended: true,
      result: 'Unknown',
      endedBy: 'unknown',
      updatedAtMs: 20_000_000,
    });
    expect(legAgentState(ended)).toBe('idle');
  });

  it('never ends a leg before it started', () => {
    expect(phantomEnd(liveLeg({ startMs: 5000, statusSinceMs: 0 }), 9000).endMs).toBe(5000);
  });
});
