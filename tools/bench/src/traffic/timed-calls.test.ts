import { describe, expect, it } from 'vitest';
import { timedTraffic } from './timed-calls.js';

describe('timedTraffic', () => {
  const traffic = timedTraffic({ rate: 200, seconds: 5, firstSeed: 11, extensionPool: 20 });

  it('gives rate x seconds events of many calls, each event once (delivery may reorder a session, as RingCentral does)', () => {
    expect(traffic.events).toHaveLength(1000);
    const keys = new Set(traffic.events.map((event) => `${event.telephonySessionId}:${event.sequence}`));
    expect(keys.size).toBe(1000);
    expect(new Set(traffic.events.map((event) => event.telephonySessionId)).size).toBeGreaterThan(50);
  });

  it('expects only legs whose every event is sent, each ended by exactly one sent event', () => {
    expect(traffic.expectedLegs.size).toBeGreaterThan(10);
    const enders = new Map<string, number>();
    for (const event of traffic.events) if (event.endsLeg && event.legKey) enders.set(event.legKey, (enders.get(event.legKey) ?? 0) + 1);
    for (const leg of traffic.expectedLegs.keys()) expect(enders.get(leg)).toBe(1);
  });
});
