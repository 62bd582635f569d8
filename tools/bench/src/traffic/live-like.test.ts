import { describe, expect, it } from 'vitest';
import { LiveLikeTraffic } from './live-like.js';

const eventTimeOf = (body: string) => Date.parse((JSON.parse(body) as { body: { eventTime: string } }).body.eventTime);

describe('LiveLikeTraffic', () => {
  const startMs = Date.UTC(2026, 10, 30, 9, 0, 0);
  const traffic = new LiveLikeTraffic({ firstSeed: 5, extensionPool: 300, talkMs: [30000, 60000] });
  const first = traffic.step(100, 100 * 60, startMs);
  const activeAfterFirst = traffic.activeSessions;
  const second = traffic.step(300, 300 * 20, startMs + 70000);
  const all = [...first, ...second];

  it('gives exactly the events asked for, each notification once, with event times that follow the rate', () => {
    expect(first).toHaveLength(6000);
    expect(second).toHaveLength(6000);
    expect(new Set(all.map((event) => `${event.telephonySessionId}:${event.sequence}`)).size).toBe(12000);
    // 60 s at 100/s: the events span about a minute of call time (delivery jitter aside).
    const times = first.map((event) => eventTimeOf(event.body));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(58000);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(62000);
    // The next step starts after the pause; the calls in flight went on meanwhile.
    expect(Math.min(...second.map((event) => eventTimeOf(event.body)))).toBeGreaterThan(startMs + 59000); // delivery jitter: an event up to 400 ms before its delivery
  });

  it('interleaves sessions as in life: under two events of a session per 100 events, not a call at a time', () => {
    // A backlog produced call by call gives about ten events of a session in a row; live traffic about one per fetch
    // (a few, when several parties of a call change at once).
    let windows = 0;
    let eventsPerSession = 0;
    for (let index = 0; index + 100 <= all.length; index += 100) {
      eventsPerSession += 100 / new Set(all.slice(index, index + 100).map((event) => event.telephonySessionId)).size;
      windows += 1;
    }
    expect(eventsPerSession / windows).toBeLessThan(2.5);
    let sameAsPrevious = 0;
    for (let index = 1; index < all.length; index += 1) {
      if (all[index]?.telephonySessionId === all[index - 1]?.telephonySessionId) sameAsPrevious += 1;
    }
    expect(sameAsPrevious / all.length).toBeLessThan(0.1);
  });

  it('keeps many calls in flight (rate x duration), and counts active sessions as sent-but-not-finished', () => {
    // 100 events/s of ~10-event calls lasting 35-90 s: a few hundred calls in flight after a minute.
    expect(activeAfterFirst).toBeGreaterThan(250);
    const started = new Set(all.map((event) => event.telephonySessionId));
    const finished = new Set(all.filter((event) => event.completesLegs.length > 0).map((event) => event.telephonySessionId)).size;
    expect(traffic.activeSessions).toBeGreaterThan(activeAfterFirst); // a higher rate: more calls in flight
    expect(traffic.activeSessions).toBeLessThanOrEqual(started.size - finished);
    expect(traffic.activeSessions).toBeGreaterThan((started.size - finished) * 0.8); // sessions without legs end too
  });

  it('completes a leg once, after its ending event, only when its whole session was sent', () => {
    const completedAt = new Map<string, number>();
    const endedAt = new Map<string, number>();
    all.forEach((event, index) => {
      if (event.endsLeg && event.legKey) endedAt.set(event.legKey, index);
      for (const { leg } of event.completesLegs) {
        expect(completedAt.has(leg)).toBe(false);
        completedAt.set(leg, index);
      }
    });
    expect(completedAt.size).toBeGreaterThan(300);
    for (const [leg, index] of completedAt) {
      const ended = endedAt.get(leg);
      if (ended !== undefined) expect(ended).toBeLessThanOrEqual(index);
      const session = leg.slice(0, leg.lastIndexOf(':'));
      expect(all.slice(index + 1).some((event) => event.telephonySessionId === session)).toBe(false);
    }
  });

  it('is deterministic for a seed', () => {
    const again = new LiveLikeTraffic({ firstSeed: 5, extensionPool: 300, talkMs: [30000, 60000] }).step(100, 500, startMs);
    expect(again.map((event) => event.body)).toEqual(first.slice(0, 500).map((event) => event.body));
  });
});
