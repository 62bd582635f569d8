import { describe, expect, it } from 'vitest';
import { LiveLatency } from './live-latency.js';

describe('LiveLatency', () => {
  it('matches Redis messages by sequence and GraphQL messages through the Redis snapshot, each webhook once', () => {
    const live = new LiveLatency();
    live.sentAt.set('s-1:3', 1000);
    live.sentAt.set('s-1:4', 1010);
    live.redis.push({ telephonySessionId: 's-1', partyId: 'p-1', lastSequence: 3, updatedAtMs: 500, receivedAtMs: 1005 });
    live.redis.push({ telephonySessionId: 's-1', partyId: 'p-1', lastSequence: 3, updatedAtMs: 501, receivedAtMs: 1030 });
    live.redis.push({ telephonySessionId: 's-1', partyId: 'p-1', lastSequence: 4, updatedAtMs: 502, receivedAtMs: 1020 });
    live.api.push({ telephonySessionId: 's-1', partyId: 'p-1', updatedAtMs: 500, receivedAtMs: 1008 });
    live.api.push({ telephonySessionId: 's-1', partyId: 'p-1', updatedAtMs: 999, receivedAtMs: 1040 }); // no Redis twin
    expect(live.latencies('redis').sort()).toEqual([10, 5]);
    expect(live.latencies('api')).toEqual([8]);
    live.clear();
    expect(live.latencies('redis')).toEqual([]);
  });
});
