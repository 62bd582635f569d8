// A subscription's arguments reach its resolver over WebSocket (graphql-ws, literal and variable) and SSE, against
// the built API on the real Redis: activeCallChanged(extensionIds: [A]) delivers A's legs and never B's, written as
// call-state writes them. (The JIT executor once gave a subscription's resolver no arguments: every extension.)
import { createClickHouseClient, createRedis, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { snapshot, writeLegs } from '../../../web/test/support/redis-feed.js';
import { type Json, type StreamClient, sseSubscribe, wsClient } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_sub_args'));
const prefix = iso.env.REDIS_KEY_PREFIX as string;
const KEY = 'sub-args-viewer-key';
const A = '650000001';
const B = '650000002';
let api: Started;
const redis = createRedis(redisUrl);

beforeAll(async () => {
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${escapeIdentifier(iso.name)}` });
  await clickhouse.close();
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}` });
});

afterAll(async () => {
  await api?.process.stop();
  redis.disconnect();
  await cleanUp(iso);
});

const ringing = (extensionId: string, session: string) => {
  const now = Date.now();
  return snapshot({ extensionId, session, status: 'Ringing', startMs: now - 2000, statusSinceMs: now - 2000 });
};

describe('subscription arguments', () => {
  it('activeCallChanged(extensionIds: [A]) delivers only A`s legs over WebSocket (literal and variable) and SSE', async () => {
    const client = wsClient(api.url, KEY);
    const operations = [
      { query: `subscription { activeCallChanged(extensionIds: ["${A}"]) { extensionId telephonySessionId } }`, variables: {} },
      {
        query: 'subscription($ids: [ID!]) { activeCallChanged(extensionIds: $ids) { extensionId telephonySessionId } }',
        variables: { ids: [A] },
      },
    ];
    const streams: Array<StreamClient<Json>> = operations.map(({ query, variables }) => {
      const received: Json[] = [];
      const close = client.subscribe(
        { query, variables },
        { next: (result) => received.push(result.data), error: () => undefined, complete: () => undefined },
      );
      return { received, close };
    });
    streams.push(await sseSubscribe(api.url, operations[0]?.query as string, KEY));
    const seen = (stream: StreamClient<Json>, session: string) =>
      stream.received.some((data: Json) => data?.activeCallChanged?.telephonySessionId === session);

    // B rings, then A, until every stream got A's leg (the subscriptions are open by then).
    let round = 0;
    await waitFor(
      async () => {
        round += 1;
        await writeLegs(redis, prefix, [ringing(B, `s-b-${round}`)]);
        await writeLegs(redis, prefix, [ringing(A, `s-a-${round}`)]);
        return streams.every((stream) => stream.received.some((data: Json) => data?.activeCallChanged?.extensionId === A));
      },
      { what: "A's leg on every stream" },
    );
    // Once more, B before A: A's arrives, B's never does.
    await writeLegs(redis, prefix, [ringing(B, 's-b-last')]);
    await writeLegs(redis, prefix, [ringing(A, 's-a-last')]);
    await waitFor(() => streams.every((stream) => seen(stream, 's-a-last')), { what: "A's last leg on every stream" });
    for (const stream of streams) {
      expect(stream.received.map((data: Json) => data?.activeCallChanged?.extensionId)).not.toContain(B);
      expect(new Set(stream.received.map((data: Json) => data?.activeCallChanged?.extensionId))).toEqual(new Set([A]));
    }
    for (const stream of streams) stream.close();
    await client.dispose();
  });
});
