// Where the bench hears about live leg changes: the Redis pub/sub channels call-state publishes on, and (when the API
// is built) the API's GraphQL subscription activeCallChanged over graphql-ws, which relays them. Each message is
// recorded with the time it arrived here; matching to the webhooks happens afterwards.
import { type LiveLegSnapshot, redisChannels } from '@callpulse/contracts';
import { createSubscriber } from '@callpulse/platform';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphqlPath } from '../support/api.js';
import { servers } from '../support/env.js';
import { nowMs } from '../support/stats.js';

export interface LiveLegMessage {
  telephonySessionId: string;
  partyId: string;
  /** Only the Redis messages carry it (the GraphQL ActiveCall has no sequence). */
  lastSequence?: number;
  updatedAtMs: number;
  receivedAtMs: number;
}

export interface LiveSource {
  description: string;
  close(): Promise<void>;
}

/**
 * Every leg change call-state publishes (a pattern subscription), or only those of `extensionIds` (their channels: the
 * bench then parses only the messages it needs, and spends its CPU, shared with the pipeline, on little else).
 */
export async function subscribeRedisLegChanges(
  redisPrefix: string,
  onLeg: (message: LiveLegMessage) => void,
  extensionIds?: readonly string[],
): Promise<LiveSource> {
  const channels = redisChannels(redisPrefix);
  const subscriber = createSubscriber(servers.redisUrl);
  const heard = (raw: string) => {
    const receivedAtMs = nowMs();
    const leg = JSON.parse(raw) as LiveLegSnapshot;
    onLeg({
      telephonySessionId: leg.telephonySessionId,
      partyId: leg.partyId,
      lastSequence: leg.lastSequence,
      updatedAtMs: leg.updatedAtMs,
      receivedAtMs,
    });
  };
  let description: string;
  if (extensionIds) {
    subscriber.on('message', (_channel, raw: string) => heard(raw));
    await subscriber.subscribe(...extensionIds.map((id) => channels.legChanged(id)));
    description = `Redis pub/sub of ${extensionIds.length} extensions' leg channels`;
  } else {
    subscriber.on('pmessage', (_pattern, _channel, raw: string) => heard(raw));
    await subscriber.psubscribe(channels.legChangedPattern);
    description = `Redis pub/sub ${channels.legChangedPattern}`;
  }
  return {
    description,
    close: async () => {
      subscriber.disconnect();
    },
  };
}

const subscription = /* GraphQL */ `
  subscription ($extensionIds: [ID!]) {
    activeCallChanged(extensionIds: $extensionIds) {
      telephonySessionId
      partyId
      updatedAt
    }
  }
`;

interface ActiveCallChanged {
  activeCallChanged: { telephonySessionId: string; partyId: string; updatedAt: string };
}

/** Subscribes to activeCallChanged (every monitored extension); resolves once the API acknowledged the connection. */
export async function subscribeApiLegChanges(apiUrl: string, onLeg: (message: LiveLegMessage) => void): Promise<LiveSource> {
  const url = new URL(graphqlPath, apiUrl);
  url.protocol = 'ws:';
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const client = createClient({ url: url.toString(), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, on: { connected } });
  let failure: Error | undefined;
  const unsubscribe = client.subscribe<ActiveCallChanged>(
    { query: subscription, variables: { extensionIds: null } },
    {
      next: ({ data, errors }) => {
        const receivedAtMs = nowMs();
        if (errors?.length) failure = new Error(errors.map((error) => error.message).join('; '));
        const leg = data?.activeCallChanged;
        if (leg)
          onLeg({ telephonySessionId: leg.telephonySessionId, partyId: leg.partyId, updatedAtMs: Date.parse(leg.updatedAt), receivedAtMs });
      },
      error: (err) => {
        failure = err instanceof Error ? err : new Error(JSON.stringify(err));
      },
      complete: () => undefined,
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no graphql-ws connection to ${url} within 10 s`)), 10000);
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (err) {
    unsubscribe();
    await client.dispose();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    description: `the API's GraphQL subscription activeCallChanged over graphql-ws (${url})`,
    close: async () => {
      unsubscribe();
      await client.dispose();
      if (failure) throw failure;
    },
  };
}
