// Whether a leg's live snapshot changed: every field but the update time counts, the endpoints field by field.

import { foldSession, normaliseNotification } from '@callpulse/call-model';
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { buildScenario } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { sameSnapshot, toLiveSnapshot } from '../../src/live/snapshot.js';

function snapshot(): LiveLegSnapshot {
  const scenario = buildScenario('inbound-answered-two-holds', { seed: 3 });
  const events = scenario.notifications.flatMap((timed) => normaliseNotification(timed.notification));
  const leg = foldSession(events, (id) => scenario.monitoredExtensionIds.includes(id)).legs[0];
  if (!leg) throw new Error('the scenario has no monitored leg');
  return toLiveSnapshot(leg, 1000);
}

describe('sameSnapshot', () => {
  it('ignores the update time and copies', () => {
    const a = snapshot();
    expect(sameSnapshot(a, { ...structuredClone(a), updatedAtMs: 99 })).toBe(true);
    expect(sameSnapshot(undefined, a)).toBe(false);
  });

  it('sees a change in any other field, nested endpoints included', () => {
    const a = snapshot();
    for (const field of Object.keys(a) as Array<keyof LiveLegSnapshot>) {
      if (field === 'updatedAtMs') continue;
      const changed = structuredClone(a) as unknown as Record<string, unknown>;
      const value = changed[field];
      if (field === 'from' || field === 'to') changed[field] = { ...(value as object), name: 'someone else' };
      else changed[field] = typeof value === 'number' ? value + 1 : typeof value === 'boolean' ? !value : `${String(value)}x`;
      expect(sameSnapshot(a, changed as unknown as LiveLegSnapshot), field).toBe(false);
    }
  });
});
