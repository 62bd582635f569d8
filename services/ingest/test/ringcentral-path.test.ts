// The whole RingCentral path through the built ingest service, against the stand-in at its strictest defaults
// (handshake, RingCentral's default rate limits, no token echo, blacklisting on any failed delivery): JWT login,
// directory load, the webhook subscription created through a real Validation-Token handshake, notifications
// delivered by the stand-in landing in Kafka (telephony) and in the directory (extension-list changes in both
// published shapes), the subscription shown in /readyz, and never blacklisted.
import { redisChannels, redisKeys, topicNames } from '@callpulse/contracts';
import { createKafka, createLogger, createRedis, createSubscriber } from '@callpulse/platform';
import { type StandIn, startStandIn } from '@callpulse/testkit/standin';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaBrokers, redisUrl, uniqueName } from '../../../test/support/env.js';
import { readTopic } from '../../../test/support/kafka-reader.js';
import { sampleNotification } from '../../../test/support/notifications.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';

const name = uniqueName('rcpath');
const keys = redisKeys(`${name}:`);
const topics = topicNames(`${name}.`);
const redis = createRedis(redisUrl);
let standIn: StandIn;
let ingest: ServiceProcess;
let port: number;

beforeAll(async () => {
  standIn = await startStandIn({ extensions: 1200 });
  port = await freePort();
  ingest = startServiceProcess('ingest', {
    INGEST_PORT: String(port),
    INGEST_HOST: '127.0.0.1',
    KAFKA_TOPIC_PREFIX: `${name}.`,
    REDIS_KEY_PREFIX: `${name}:`,
    RC_SERVER_URL: standIn.url,
    RC_CLIENT_ID: standIn.credentials.clientId,
    RC_CLIENT_SECRET: standIn.credentials.clientSecret,
    RC_JWT: standIn.credentials.jwt,
    RC_WEBHOOK_ADDRESS: `http://127.0.0.1:${port}/webhooks/ringcentral`,
    RC_WEBHOOK_VERIFICATION_TOKEN: 'path-test-token',
    RC_EXTENSION_EVENT_DEBOUNCE_MS: '50',
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`);
});

afterAll(async () => {
  expect(await ingest.stop()).toBe(0);
  await standIn.close();
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

it('loads the directory, subscribes through the handshake, and takes the notifications RingCentral delivers', async () => {
  await waitFor(async () => (await redis.hlen(keys.extensions)) === 1200, { what: 'the directory in Redis' });
  const [subscription] = await waitFor(() => (standIn.subscriptions().length === 1 ? standIn.subscriptions() : undefined), {
    what: 'the webhook subscription',
  });
  expect(subscription?.status).toBe('Active');

  const notification = sampleNotification();
  const delivered = await standIn.deliver({ event: notification.event, body: notification.body });
  expect(delivered.map((d) => d.status)).toEqual([200]);
  const [message] = await readTopic(
    createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') }),
    topics.telephonySessions,
    1,
  );
  expect(message?.key).toBe(notification.body.telephonySessionId);

  standIn.putExtension({ id: 990001, extensionNumber: '9901', name: 'New Agent', type: 'User', status: 'Enabled' });
  const change = await standIn.deliver({
    event: `/restapi/v1.0/account/${standIn.accountId}/extension`,
    body: { extensionId: '990001', eventType: 'Create' },
  });
  expect(change.map((d) => d.status)).toEqual([200]);
  const added = await waitFor(() => redis.hget(keys.extensions, '990001'), { what: 'the new extension in the directory' });
  expect(JSON.parse(added)).toMatchObject({ id: '990001', extensionNumber: '9901', name: 'New Agent' });

  // The shape of the guide's example: body.extensions[] with hints.
  standIn.putExtension({ id: 990002, extensionNumber: '9902', name: 'Second Agent', type: 'User', status: 'Enabled' });
  const listed = await standIn.deliver({
    event: `/restapi/v1.0/account/${standIn.accountId}/extension`,
    body: { extensions: [{ extensionId: '990002', eventType: 'Create', hints: ['ExtensionInfo'] }] },
  });
  expect(listed.map((d) => d.status)).toEqual([200]);
  await waitFor(() => redis.hget(keys.extensions, '990002'), { what: 'the extension of the listed shape in the directory' });

  // /readyz shows the subscription; RingCentral never had a reason to blacklist it.
  const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<string, unknown>;
  expect(ready).toMatchObject({
    status: 'ready',
    ringcentral: { subscription: { id: subscription?.id, status: 'Active', disabledFilters: [] } },
  });
  expect(ready).not.toHaveProperty('ringcentral.subscription.problem');
  expect(standIn.subscriptions().map((s) => s.status)).toEqual(['Active']);
});

it('answers the admin commands of the API: re-sync the directory and recreate the subscription', async () => {
  const channels = redisChannels(`${name}:`);
  const subscriber = createSubscriber(redisUrl);
  const replies: Array<{ id: string; ok: boolean; result?: { count?: number; action?: string } }> = [];
  await subscriber.psubscribe(channels.adminReply('*'));
  subscriber.on('pmessage', (_pattern, _channel, message) => replies.push(JSON.parse(message)));
  standIn.removeExtension(990001);
  standIn.removeExtension(990002);
  await redis.publish(channels.adminCommands, JSON.stringify({ id: 'a1', command: 'sync-extensions' }));
  const synced = await waitFor(() => replies.find((r) => r.id === 'a1'), { what: 'the sync reply' });
  expect(synced).toMatchObject({ ok: true, result: { count: 1200 } });
  expect(await redis.hget(keys.extensions, '990001')).toBeNull();

  const before = standIn.subscriptions()[0]?.id;
  await redis.publish(channels.adminCommands, JSON.stringify({ id: 'a2', command: 'recreate-subscription' }));
  const recreated = await waitFor(() => replies.find((r) => r.id === 'a2'), { what: 'the recreate reply' });
  expect(recreated).toMatchObject({ ok: true, result: { action: 'recreated' } });
  expect(standIn.subscriptions().map((s) => s.id)).not.toContain(before);
  expect(standIn.subscriptions()).toHaveLength(1);
  subscriber.disconnect();
});
