// The reaper's pure rules: synthetic Timeout ends for open parties, and the Unknown verdict.
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import {
  applyTimeoutVerdict,
  effectiveEvents,
  foldSession,
  foldStoredSession,
  normaliseNotification,
  partyEventKey,
  TIMEOUT_EVENT_UUID,
  timeoutEvents,
} from './index.js';

const notifications = loadCapturedSession('inbound-ivr-agent.json');
const events = notifications.flatMap(normaliseNotification);
const agent = '200300401';

describe('timeoutEvents', () => {
  it('ends every party still present, after the last sequence, at the last event time', () => {
    const open = events.filter((event) => event.sequence <= 8);
    const synthetic = timeoutEvents(open);
    expect(synthetic.map((e) => [e.partyId.slice(-2), e.statusCode, e.reason, e.notificationUuid])).toEqual([
      ['-1', 'Disconnected', 'Timeout', TIMEOUT_EVENT_UUID],
      ['-3', 'Disconnected', 'Timeout', TIMEOUT_EVENT_UUID],
    ]);
    expect(synthetic.map((e) => e.sequence)).toEqual([9, 10]);
    expect(new Set(synthetic.map((e) => e.eventTimeMs))).toEqual(new Set([Math.max(...open.map((e) => e.eventTimeMs))]));
  });

  it('has nothing to end when every party left', () => {
    expect(timeoutEvents(events)).toEqual([]);
  });
});

describe('applyTimeoutVerdict', () => {
  it('reports a leg ended by the reaper as Unknown / Timeout, and leaves real ends alone', () => {
    const open = events.filter((event) => event.sequence <= 8);
    const all = [...open, ...timeoutEvents(open)];
    const leg = applyTimeoutVerdict(
      foldSession(all, (id) => id === agent),
      all,
    ).legs[0];
    expect(leg).toMatchObject({ ended: true, result: 'Unknown', endReason: 'Timeout', endedBy: 'unknown' });
    const real = applyTimeoutVerdict(
      foldSession(events, (id) => id === agent),
      events,
    ).legs[0];
    expect(real).toMatchObject({ result: 'Answered', endedBy: 'agent' });
  });
});

describe('synthetic ends give way to real events', () => {
  const open = events.filter((event) => event.sequence <= 8);
  const synthetic = timeoutEvents(open);
  const agentParty = events.find((event) => event.extensionId === agent)?.partyId ?? '';

  it('have a key of their own, so a real event of the same sequence is not taken for a duplicate', () => {
    const real = events.find((event) => event.sequence === 9);
    const fake = synthetic.find((event) => event.sequence === 9);
    expect(real && fake && partyEventKey(real)).not.toBe(fake && partyEventKey(fake));
  });

  it('are superseded by the real end that comes after them', () => {
    const all = [...events, ...synthetic];
    const leg = foldStoredSession(all, (id) => id === agent).legs.find((l) => l.partyId === agentParty);
    expect(leg).toMatchObject({ result: 'Answered', endedBy: 'agent', endReason: null });
    expect(effectiveEvents(all).filter((event) => event.notificationUuid === TIMEOUT_EVENT_UUID)).toEqual([]);
  });

  it('still end the leg as Unknown / Timeout while nothing real came', () => {
    const leg = foldStoredSession([...open, ...synthetic], (id) => id === agent).legs.find((l) => l.partyId === agentParty);
    expect(leg).toMatchObject({ result: 'Unknown', endReason: 'Timeout', endedBy: 'unknown' });
  });
});
