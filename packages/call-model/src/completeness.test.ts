// A session looks complete when its sequences have no hole and every party starts where parties start.

import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { normaliseNotification, sessionCompleteness, uncertainStarts } from './index.js';

const notifications = loadCapturedSession('inbound-ivr-agent.json');
const events = notifications.flatMap(normaliseNotification);

describe('sessionCompleteness', () => {
  it('is complete for a whole captured call, in any order', () => {
    expect(sessionCompleteness(events)).toEqual({ complete: true });
    expect(sessionCompleteness([...events].reverse())).toEqual({ complete: true });
  });

  it('sees a hole in the sequences', () => {
    const withoutSix = events.filter((event) => event.sequence !== 6);
    expect(sessionCompleteness(withoutSix)).toMatchObject({ complete: false, reason: expect.stringMatching(/1 sequence number/) });
  });

  it('sees a party that lost its first event', () => {
    const first = [...events].sort((a, b) => a.sequence - b.sequence)[0];
    const withoutFirst = events.filter((event) => event !== first);
    expect(sessionCompleteness(withoutFirst)).toMatchObject({ complete: false, reason: expect.stringMatching(/starts with/) });
  });

  it("sees a caller's party that lost its Setup, although its next event (Proceeding) leaves no hole", () => {
    const built = buildScenario('outbound-unanswered', { seed: 3 });
    const all = built.notifications.flatMap(({ notification }) => normaliseNotification(notification));
    const withoutSetup = all.filter((event) => !(event.direction === 'Outbound' && event.statusCode === 'Setup'));
    expect(withoutSetup.length).toBe(all.length - 1);
    expect(Math.min(...withoutSetup.map((event) => event.sequence))).toBe(3); // no hole: sequence 2 was the first
    expect(sessionCompleteness(withoutSetup)).toMatchObject({ complete: false, reason: expect.stringMatching(/starts with Proceeding/) });
  });

  it('holds every scenario of the library complete once all its events are in', () => {
    for (const name of scenarioNames) {
      const built = buildScenario(name, { seed: 7 });
      const bySession = new Map<string, ReturnType<typeof normaliseNotification>>();
      for (const { notification } of built.notifications) {
        const list = bySession.get(notification.body.telephonySessionId) ?? [];
        list.push(...normaliseNotification(notification));
        bySession.set(notification.body.telephonySessionId, list);
      }
      for (const [id, list] of bySession) {
        const verdict = sessionCompleteness(list);
        // A party picked up from park starts with Answered: such a session is held for the grace, never wrong.
        if (name === 'park-and-pickup') continue;
        expect(verdict, `${name} ${id}`).toEqual({ complete: true });
      }
    }
  });
});

describe('uncertainStarts', () => {
  it('names a called party first seen with Proceeding, not one seen with its Setup nor a caller', () => {
    const built = buildScenario('redirected-ring', { seed: 3 });
    const all = built.notifications.flatMap(({ notification }) => normaliseNotification(notification));
    expect(uncertainStarts(all)).toEqual(new Map());
    const withoutSetups = all.filter((event) => event.statusCode !== 'Setup');
    const proceedings = withoutSetups.filter((event) => event.statusCode === 'Proceeding' && event.direction === 'Inbound');
    expect(proceedings.length).toBe(2); // agents A and B; the caller (Outbound) has no Proceeding
    expect(uncertainStarts(withoutSetups)).toEqual(new Map(proceedings.map((event) => [event.partyId, event.eventTimeMs])));
    // The captured call: every party's first event is its Setup.
    expect(uncertainStarts(events)).toEqual(new Map());
  });
});
