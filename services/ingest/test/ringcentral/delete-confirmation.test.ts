// An extension-list Delete removes nothing until RingCentral confirms it: a forged Delete of an extension that
// still exists keeps it in the directory and monitored; an unanswered confirmation keeps it too; only a 404 (or a
// status the monitoring rules exclude) takes it out.
import { redisChannels, redisKeys } from '@callpulse/contracts';
import { createSubscriber } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { waitFor } from '../../../../test/support/wait.js';
import { connectRingCentral, type RingCentralHandle } from '../../src/ringcentral/connect.js';
import { createContext, type TestContext } from './context.js';

describe('extension-list Delete events', () => {
  let ctx: TestContext;
  let handle: RingCentralHandle;
  const keys = () => redisKeys(ctx.prefix);
  const enabledUsers = () => ctx.standIn.extensions().filter((e) => e.type === 'User' && e.status === 'Enabled');
  const lookedUp = (id: number) =>
    waitFor(() => ctx.standIn.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/extension/${id}`)), {
      what: `RingCentral asked about extension ${id}`,
    });
  /** Resolves once the directory announced that the events naming `id` were applied. */
  const applied = (id: number) =>
    waitFor(() => published.some((message) => message.reason === 'extension-event' && message.ids?.includes(String(id))), {
      what: `the events of extension ${id} applied`,
    });
  const published: Array<{ reason: string; ids?: string[] }> = [];
  let subscriber: ReturnType<typeof createSubscriber>;

  beforeAll(async () => {
    ctx = await createContext('rcdelete', { extensions: 30 });
    subscriber = createSubscriber(redisUrl);
    subscriber.on('message', (_channel, message) => published.push(JSON.parse(message)));
    await subscriber.subscribe(redisChannels(ctx.prefix).directoryChanged);
    const connected = await connectRingCentral(ctx.deps());
    if (!connected) throw new Error('expected a handle');
    handle = connected;
    await handle.syncExtensions();
  });
  afterAll(async () => {
    subscriber?.disconnect();
    await handle?.stop();
    await ctx?.cleanup();
  });

  it('keeps an extension a forged Delete names while RingCentral still has it, and monitored', async () => {
    const user = enabledUsers()[0];
    if (!user) throw new Error('no enabled user');
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(user.id))).toBe(1);
    handle.onExtensionListEvent({ extensionId: String(user.id), eventType: 'Delete' });
    await lookedUp(user.id);
    await applied(user.id);
    expect(await ctx.redis.hexists(keys().extensions, String(user.id))).toBe(1);
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(user.id))).toBe(1);
  });

  it('keeps the extension when RingCentral cannot confirm the Delete (errors after retries)', async () => {
    const user = enabledUsers()[1];
    if (!user) throw new Error('no enabled user');
    ctx.standIn.removeExtension(user.id); // it is gone, but RingCentral does not say so: every attempt fails
    ctx.standIn.failNext({ status: 503, count: 20, path: new RegExp(`/extension/${user.id}$`) });
    handle.onExtensionListEvent({ extensionId: String(user.id), eventType: 'Delete' });
    await lookedUp(user.id);
    await applied(user.id);
    expect(await ctx.redis.hexists(keys().extensions, String(user.id))).toBe(1);
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(user.id))).toBe(1);
  });

  it('removes the extension once RingCentral answers 404, and unmonitors one it reports disabled', async () => {
    const [gone, disabled] = enabledUsers().slice(2);
    if (!gone || !disabled) throw new Error('not enough enabled users');
    ctx.standIn.removeExtension(gone.id);
    ctx.standIn.putExtension({ ...disabled, status: 'Disabled' });
    handle.onExtensionListEvent({ extensionId: String(gone.id), eventType: 'Delete' });
    handle.onExtensionListEvent({ extensionId: String(disabled.id), eventType: 'Delete' });
    await waitFor(async () => (await ctx.redis.hexists(keys().extensions, String(gone.id))) === 0, { what: 'the deleted extension gone' });
    await waitFor(async () => (await ctx.redis.sismember(keys().monitoredExtensions, String(disabled.id))) === 0, {
      what: 'the disabled extension unmonitored',
    });
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(gone.id))).toBe(0);
    expect(JSON.parse((await ctx.redis.hget(keys().extensions, String(disabled.id))) ?? '{}')).toMatchObject({ status: 'Disabled' });
  });
});
