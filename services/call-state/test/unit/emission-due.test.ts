// When a session's records fall due: at once when settled, after the grace when not, and a leg first seen with a
// Proceeding not before the grace after it (its Setup may still be on the way behind it).

import { foldStoredSession, normaliseNotification, type PartyEvent } from '@callpulse/call-model';
import { buildScenario } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { emissionDue } from '../../src/emit/emission-due.js';

const GRACE = 3000;
const START = 1_800_000_000_000;

/** A redirected ring: agent A rings about 100 ms, is redirected (settled alone), then agent B answers. */
function redirectedRing(startMs = START) {
  const built = buildScenario('redirected-ring', { seed: 5, startMs, ringMs: 200 });
  const events = built.notifications.flatMap(({ notification }) => normaliseNotification(notification));
  const [legA] = built.expectedLegs;
  if (!legA) throw new Error('the scenario has no first leg');
  const monitored = new Set(built.monitoredExtensionIds);
  const isMonitored = (extensionId: string) => monitored.has(extensionId);
  // Everything up to A's redirect: the caller's and A's Setups and Proceeding, and A's Disconnected.
  const redirect = events.find((event) => event.partyId === legA.partyId && event.statusCode === 'Disconnected');
  if (!redirect) throw new Error('no redirect in the scenario');
  const upToRedirect = events.filter((event) => event.sequence <= redirect.sequence);
  const proceeding = events.find((event) => event.partyId === legA.partyId && event.statusCode === 'Proceeding') as PartyEvent;
  const due = (list: PartyEvent[], nowMs: number) => emissionDue(foldStoredSession(list, isMonitored), list, nowMs, GRACE);
  return { legA, redirect, upToRedirect, proceeding, due };
}

describe('emissionDue', () => {
  it('is due at once for a leg settled alone whose first event is its Setup', () => {
    const { upToRedirect, redirect, due } = redirectedRing();
    const now = redirect.eventTimeMs + 50;
    expect(due(upToRedirect, now)).toBe(now);
  });

  it("waits the grace after a leg's Proceeding when its Setup (and the caller's) have not come: they leave no hole", () => {
    const { legA, upToRedirect, redirect, proceeding, due } = redirectedRing();
    const late = upToRedirect.filter((event) => event.statusCode !== 'Setup');
    expect(late.length).toBe(upToRedirect.length - 2);
    const now = redirect.eventTimeMs + 50;
    expect(due(late, now)).toBe(proceeding.eventTimeMs + GRACE);
    expect(proceeding.eventTimeMs + GRACE).toBeGreaterThan(now);
    // Once the grace after the Proceeding has passed, at once.
    expect(due(late, proceeding.eventTimeMs + GRACE + 1)).toBe(proceeding.eventTimeMs + GRACE + 1);
    expect(legA.startMs).toBeLessThan(proceeding.eventTimeMs); // what the Setup would move
  });

  it('never waits more than the grace from now, whatever the eventTime says', () => {
    const { upToRedirect, redirect, due } = redirectedRing(START + 3_600_000); // an hour ahead of our clock
    const late = upToRedirect.filter((event) => event.statusCode !== 'Setup');
    const now = redirect.eventTimeMs - 3_600_000;
    expect(due(late, now)).toBe(now + GRACE);
  });

  it('is due at once for a replay of an old call, and holds an unsettled or incomplete one for the grace', () => {
    const { upToRedirect, redirect, due } = redirectedRing();
    const late = upToRedirect.filter((event) => event.statusCode !== 'Setup');
    const muchLater = redirect.eventTimeMs + 86_400_000;
    expect(due(late, muchLater)).toBe(muchLater);
    const sequences = upToRedirect.map((event) => event.sequence).sort((a, b) => a - b);
    const middle = sequences[Math.floor(sequences.length / 2)];
    const withHole = upToRedirect.filter((event) => event.sequence !== middle);
    expect(due(withHole, muchLater)).toBe(muchLater + GRACE);
    const beforeRedirect = upToRedirect.filter((event) => event !== redirect);
    expect(due(beforeRedirect, muchLater)).toBeUndefined();
  });
});
