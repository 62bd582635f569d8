// Matches live messages to the webhooks that caused them. A webhook of a monitored party is identified by
// `${telephonySessionId}:${sequence}`; a Redis message carries the leg's lastSequence, a GraphQL message does not,
// so it is matched through the Redis message with the same leg and updatedAt (the API relays that snapshot).
import type { LiveLegMessage } from './live-source.js';

export class LiveLatency {
  readonly sentAt = new Map<string, number>();
  readonly redis: LiveLegMessage[] = [];
  readonly api: LiveLegMessage[] = [];

  clear(): void {
    this.sentAt.clear();
    this.redis.length = 0;
    this.api.length = 0;
  }

  /** Latencies (ms) of the webhooks sent, each counted once, at the first message that carries its sequence. */
  latencies(source: 'redis' | 'api'): number[] {
    const sequenceOf = new Map<string, number>();
    for (const message of this.redis) {
      if (message.lastSequence !== undefined) sequenceOf.set(snapshotKey(message), message.lastSequence);
    }
    const seen = new Map<string, number>();
    for (const message of source === 'redis' ? this.redis : this.api) {
      const sequence = message.lastSequence ?? sequenceOf.get(snapshotKey(message));
      if (sequence === undefined) continue;
      const key = `${message.telephonySessionId}:${sequence}`;
      const sent = this.sentAt.get(key);
      if (sent !== undefined && !seen.has(key)) seen.set(key, message.receivedAtMs - sent);
    }
    return [...seen.values()];
  }
}

function snapshotKey(message: LiveLegMessage): string {
  return `${message.telephonySessionId}:${message.partyId}:${message.updatedAtMs}`;
}
