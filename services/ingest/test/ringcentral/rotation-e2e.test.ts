// A rolling token rotation through the built ingest, against the strict stand-in (which never tells a subscription's
// token and blacklists a subscription at its first failed delivery): ingest A runs with token one behind a proxy (the
// public address); ingest B starts with token two, replaces the subscription while A still answers; the proxy moves
// to B; A stops. RingCentral delivers all along: every delivery answered 200, never a moment without a subscription,
// every notification in Kafka, nothing blacklisted.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { topicNames } from '@callpulse/contracts';
import { createKafka, createLogger, createRedis } from '@callpulse/platform';
import { type StandIn, startStandIn } from '@callpulse/testkit/standin';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaBrokers, redisUrl, uniqueName } from '../../../../test/support/env.js';
import { readTopic } from '../../../../test/support/kafka-reader.js';
import { sampleNotification } from '../../../../test/support/notifications.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { deleteKeys } from './context.js';

const name = uniqueName('rcroll');
const topics = topicNames(`${name}.`);
const redis = createRedis(redisUrl);
let standIn: StandIn;
let proxy: Server;
let target = 0;
const ingests: ServiceProcess[] = [];

/** The public address: forwards each request, as received, to the ingest port of the moment. */
async function startProxy(): Promise<string> {
  proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const forward = httpRequest(
        { host: '127.0.0.1', port: target, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/webhooks/ringcentral`;
}

/** Starts an ingest on a free port; `public` moves the proxy to it first (its start-up handshake comes through it). */
async function startIngest(token: string, address: string, options: { public?: boolean } = {}): Promise<number> {
  const port = await freePort();
  if (options.public) target = port;
  const ingest = startServiceProcess('ingest', {
    INGEST_PORT: String(port),
    INGEST_HOST: '127.0.0.1',
    KAFKA_TOPIC_PREFIX: `${name}.`,
    REDIS_KEY_PREFIX: `${name}:`,
    RC_SERVER_URL: standIn.url,
    RC_CLIENT_ID: standIn.credentials.clientId,
    RC_CLIENT_SECRET: standIn.credentials.clientSecret,
    RC_JWT: standIn.credentials.jwt,
    RC_WEBHOOK_ADDRESS: address,
    RC_WEBHOOK_VERIFICATION_TOKEN: token,
  });
  ingests.push(ingest);
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`);
  return port;
}

beforeAll(async () => {
  standIn = await startStandIn({ extensions: 20 });
});

afterAll(async () => {
  for (const ingest of ingests) await ingest.stop();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await standIn?.close();
  await deleteKeys(redis, `${name}:`);
  redis.disconnect();
});

it('rotates the verification token across two ingest processes without a refused, lost or undelivered notification', async () => {
  const address = await startProxy();
  await startIngest('rolling-token-one', address, { public: true });
  const [first] = await waitFor(() => (standIn.subscriptions().length === 1 ? standIn.subscriptions() : undefined), {
    what: 'the first subscription',
  });
  expect(standIn.verificationTokenOf(first?.id ?? '')).toBe('rolling-token-one');

  const event = `/restapi/v1.0/account/${standIn.accountId}/extension/700000001/telephony/sessions`;
  const sent: string[] = [];
  const outcomes: Array<Array<{ status: number }>> = [];
  let delivering = true;
  const loop = (async () => {
    while (delivering) {
      const notification = sampleNotification();
      sent.push(notification.body.telephonySessionId);
      outcomes.push(await standIn.deliver({ event, body: notification.body }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  // B starts with the new token while A answers at the public address; B replaces the subscription.
  await startIngest('rolling-token-two', address).then((port) => {
    const replaced = waitFor(
      () => {
        const [only, ...others] = standIn.subscriptions();
        return others.length === 0 && only && only.id !== first?.id ? only : undefined;
      },
      { what: 'the subscription replaced' },
    );
    return replaced.then(async (second) => {
      expect(standIn.verificationTokenOf(second.id)).toBe('rolling-token-two');
      await new Promise((resolve) => setTimeout(resolve, 200)); // A answers deliveries with the new token meanwhile
      target = port; // the public address moves to B
      await new Promise((resolve) => setTimeout(resolve, 200));
      await ingests[0]?.stop();
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
  });
  delivering = false;
  await loop;

  expect(outcomes.length).toBeGreaterThan(20);
  expect(outcomes.filter((o) => o.length === 0)).toEqual([]); // never without a subscription
  expect(outcomes.flat().filter((o) => o.status !== 200)).toEqual([]);
  expect(standIn.subscriptions().map((s) => s.status)).toEqual(['Active']);

  // Every notification reached Kafka (some twice while both subscriptions delivered: call-state deduplicates).
  const messages = await readTopic(
    createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') }),
    topics.telephonySessions,
    outcomes.flat().length,
  );
  const keysInKafka = new Set(messages.map((m) => m.key));
  expect(sent.filter((id) => !keysInKafka.has(id))).toEqual([]);
});
