// The three real captured sessions (as the project's own fixtures: ids, numbers and names changed; times and
// sequences kept) must give RingCentral's own metric numbers for the monitored legs.

import { type CAPTURED_SESSIONS, loadCapturedSession } from '@callpulse/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { eventsOf, foldAll, legOf } from './testing/helpers.js';

const agent = '200300401';
const otherAgent = '200300402';
const ivr = '200300490';

function fold(fixture: (typeof CAPTURED_SESSIONS)[number], monitored: string[]) {
  const sessions = foldAll(eventsOf(loadCapturedSession(fixture)), monitored);
  expect(sessions.size).toBe(1);
  const [session] = sessions.values();
  if (!session) throw new Error('no session');
  return session;
}

describe('captured sessions', () => {
  it('inbound via IVR: the agent leg rings 7.345 s, talks 12.414 s, holds 2.393 s once, and hangs up first', () => {
    const session = fold('inbound-ivr-agent.json', [agent]);
    const leg = legOf(session, agent);
    expect(leg.timings).toMatchObject({ ringMs: 7345, talkMs: 12414, holdMs: 2393, holdCount: 1 });
    expect(leg).toMatchObject({ result: 'Answered', endedBy: 'agent', endedDuringHold: false, direction: 'Inbound', otherSideEnded: true });
    expect(leg.from).toMatchObject({ phoneNumber: '+15550100123', name: 'Casey Caller' });
    expect(session.summary).toMatchObject({
      direction: 'Inbound',
      ended: true,
      abandoned: false,
      answeredByExtensionId: agent,
      legCount: 1,
    });
    expect(session.summary.waitMs).toBe(Date.parse('2020-06-23T01:06:00.001Z') - Date.parse('2020-06-23T01:05:43.940Z'));
  });

  it('inbound via IVR: the IVR party, when monitored, is a leg that never rang (Unknown), not a missed call', () => {
    const session = fold('inbound-ivr-agent.json', [agent, ivr]);
    expect(legOf(session, ivr).result).toBe('Unknown');
    expect(legOf(session, agent).timings.talkMs).toBe(12414);
  });

  it('outbound to PSTN: the agent leg rings 3.734 s, talks 12.843 s, holds 3.275 s once', () => {
    const session = fold('outbound-agent-pstn.json', [agent]);
    const leg = legOf(session, agent);
    expect(leg.timings).toMatchObject({ ringMs: 3734, talkMs: 12843, holdMs: 3275, holdCount: 1 });
    expect(leg).toMatchObject({ result: 'Answered', endedBy: 'agent', direction: 'Outbound' });
    expect(session.summary).toMatchObject({ direction: 'Outbound', ended: true, abandoned: false });
  });

  it('internal: the callee rings 6.674 s, talks 13.977 s, holds 0; the caller holds 4.319 s on its own leg', () => {
    const session = fold('internal-extension-to-extension.json', [agent, otherAgent]);
    const callee = legOf(session, agent);
    const caller = legOf(session, otherAgent);
    expect(callee.timings).toMatchObject({ ringMs: 6674, talkMs: 13977, holdMs: 0, holdCount: 0 });
    expect(callee).toMatchObject({ result: 'Answered', endedBy: 'customer', direction: 'Inbound' });
    expect(caller.timings).toMatchObject({ holdMs: 4319, holdCount: 1 });
    // The caller's own Answered came at setup: it is connected when the callee answers (see leg-timeline.ts).
    expect(caller.timings).toMatchObject({ ringMs: 6674, talkMs: 9648, answerMs: callee.timings.answerMs });
    expect(caller).toMatchObject({ result: 'Answered', endedBy: 'agent', direction: 'Outbound' });
    expect(session.summary).toMatchObject({ direction: 'Outbound', answeredByExtensionId: agent, legCount: 2 });
  });

  it('gives the same numbers when only one of the two extensions is monitored', () => {
    expect(legOf(fold('internal-extension-to-extension.json', [agent]), agent).timings.talkMs).toBe(13977);
    expect(legOf(fold('internal-extension-to-extension.json', [otherAgent]), otherAgent).timings.holdMs).toBe(4319);
  });
});
