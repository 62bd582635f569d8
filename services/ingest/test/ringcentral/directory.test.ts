// The extension directory: a 2,500-extension account over 3 pages, the default and the admin-chosen monitored set,
// extension-list events, and the admin functions' validation.
import { redisKeys } from '@callpulse/contracts';
import {
  addMonitoredExtensions,
  createSubscriber,
  listMonitoredExtensions,
  removeMonitoredExtensions,
  setMonitoredExtensions,
  UnknownExtensionsError,
} from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { waitFor } from '../../../../test/support/wait.js';
import { connectRingCentral, type RingCentralHandle } from '../../src/ringcentral/connect.js';
import { createContext, type TestContext } from './context.js';

describe('extension directory', () => {
  let ctx: TestContext;
  let handle: RingCentralHandle;
  const keys = () => redisKeys(ctx.prefix);
  const enabledUserIds = () =>
    ctx.standIn
      .extensions()
      .filter((e) => e.type === 'User' && e.status === 'Enabled')
      .map((e) => String(e.id))
      .sort();

  beforeAll(async () => {
    ctx = await createContext('rcdir', { extensions: 2500 });
    const connected = await connectRingCentral(ctx.deps());
    if (!connected) throw new Error('expected a handle');
    handle = connected;
  });
  afterAll(async () => {
    await handle?.stop();
    await ctx?.cleanup();
  });

  it('loads 2,500 extensions over 3 pages into Redis, ids as strings, and publishes the change', async () => {
    const subscriber = createSubscriber(redisUrl);
    const messages: string[] = [];
    subscriber.on('message', (_channel, message) => messages.push(message));
    await subscriber.subscribe(`${ctx.prefix}live:directory`);

    expect(await handle.syncExtensions()).toEqual({ count: 2500 });

    const pages = ctx.standIn.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/extension'));
    expect(pages.map((r) => r.query.page)).toEqual(['1', '2', '3']);
    expect(pages.every((r) => r.query.perPage === '1000')).toBe(true);

    const stored = await ctx.redis.hgetall(keys().extensions);
    expect(Object.keys(stored)).toHaveLength(2500);
    const first = ctx.standIn.extensions()[0];
    expect(JSON.parse(stored[String(first?.id)] ?? 'null')).toEqual({
      id: String(first?.id),
      extensionNumber: first?.extensionNumber,
      name: first?.name,
      type: 'User',
      status: 'Enabled',
    });
    expect(await ctx.redis.hget(keys().directoryMeta, 'count')).toBe('2500');
    const published = await waitFor(() => messages[0], { what: 'a directoryChanged message' });
    expect(JSON.parse(published)).toMatchObject({ reason: 'sync', count: 2500 });
    subscriber.disconnect();
  });

  it('monitors the enabled User extensions by default', async () => {
    const monitored = (await ctx.redis.smembers(keys().monitoredExtensions)).sort();
    expect(monitored).toEqual(enabledUserIds());
    expect(monitored.length).toBeLessThan(2500);
    expect(await handle.status()).toMatchObject({
      directory: { extensions: 2500, monitored: monitored.length, monitoredChosenByAdmin: false },
    });
  });

  it('applies an extension-list event: a new user becomes known and monitored, a deleted one disappears', async () => {
    const added = { id: 799999001, extensionNumber: '9001', name: 'Agent 9001', type: 'User', status: 'Enabled' };
    const gone = ctx.standIn.extensions()[1];
    ctx.standIn.putExtension(added);
    ctx.standIn.removeExtension(gone?.id ?? 0);
    handle.onExtensionListEvent({ extensionId: String(added.id), eventType: 'Create' });
    handle.onExtensionListEvent({ body: { extensionId: gone?.id, eventType: 'Delete' } });
    handle.onExtensionListEvent({ extensionId: 'x' }); // bad input: logged and ignored

    await waitFor(async () => (await ctx.redis.hexists(keys().extensions, String(added.id))) === 1, { what: 'the created extension' });
    await waitFor(async () => (await ctx.redis.hexists(keys().extensions, String(gone?.id))) === 0, { what: 'the deleted extension gone' });
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(added.id))).toBe(1);
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(gone?.id))).toBe(0);
  });

  it("applies a notification in the guide's shape: body.extensions[] with hints, several changes at once", async () => {
    const created = { id: 799999011, extensionNumber: '9011', name: 'Agent 9011', type: 'User', status: 'Enabled' };
    const deleted = ctx.standIn.extensions().find((e) => e.type === 'User' && e.status === 'Enabled' && e.id !== 799999001);
    if (!deleted) throw new Error('no enabled user');
    ctx.standIn.putExtension(created);
    ctx.standIn.removeExtension(deleted.id);
    handle.onExtensionListEvent({
      uuid: 'c0ffee00-0000-4000-8000-000000000011',
      event: '/restapi/v1.0/account/~/extension',
      timestamp: '2026-11-30T10:00:00.000+0000',
      subscriptionId: 'sub-1',
      ownerId: '62264425001',
      body: {
        extensions: [
          { extensionId: String(created.id), eventType: 'Create' },
          { extensionId: String(deleted.id), eventType: 'Delete' },
          { extensionId: String(created.id), eventType: 'Update', hints: ['ExtensionInfo'] },
        ],
      },
    });
    await waitFor(async () => (await ctx.redis.hexists(keys().extensions, String(created.id))) === 1, { what: 'the created extension' });
    await waitFor(async () => (await ctx.redis.hexists(keys().extensions, String(deleted.id))) === 0, {
      what: 'the deleted extension gone',
    });
    expect(await ctx.redis.sismember(keys().monitoredExtensions, String(created.id))).toBe(1);
  });

  it('reads up to 10 changed extensions one by one; more at once become one full sync (not one Light read each)', async () => {
    const users = ctx.standIn.extensions().filter((e) => e.type === 'User' && e.status === 'Enabled');
    const reads = (from: number) => ctx.standIn.requests.slice(from).filter((r) => /\/extension\/\d+$/.test(r.path)).length;
    const pages = (from: number) => ctx.standIn.requests.slice(from).filter((r) => r.path.endsWith('/extension')).length;
    const answered = (from: number) => ctx.standIn.requests.slice(from).every((r) => r.status !== undefined);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

    let before = ctx.standIn.requests.length;
    for (const user of users.slice(0, 5)) handle.onExtensionListEvent({ extensionId: String(user.id), eventType: 'Update' });
    await waitFor(() => reads(before) === 5 && answered(before), { what: 'five single reads' });
    await settle();
    expect(reads(before)).toBe(5);
    expect(pages(before)).toBe(0);

    before = ctx.standIn.requests.length;
    handle.onExtensionListEvent({
      body: { extensions: users.slice(0, 30).map((user) => ({ extensionId: String(user.id), eventType: 'Update' })) },
    });
    await waitFor(() => pages(before) === 3 && answered(before), { what: 'one full sync' });
    await settle();
    expect(reads(before)).toBe(0);
    expect(ctx.standIn.requests.length - before).toBe(3); // 2,500 extensions: one full sync of 3 pages, nothing else
  });

  it('an Update to a disabled user takes it out of the default monitored set', async () => {
    const user = ctx.standIn.extensions().find((e) => e.type === 'User' && e.status === 'Enabled' && e.id !== 799999001);
    if (!user) throw new Error('no enabled user');
    ctx.standIn.putExtension({ ...user, status: 'Disabled' });
    handle.onExtensionListEvent({ extensionId: String(user.id), eventType: 'Update' });
    await waitFor(async () => (await ctx.redis.sismember(keys().monitoredExtensions, String(user.id))) === 0, {
      what: 'the user unmonitored',
    });
    expect(JSON.parse((await ctx.redis.hget(keys().extensions, String(user.id))) ?? '{}')).toMatchObject({ status: 'Disabled' });
    ctx.standIn.putExtension(user);
  });

  it('rejects unknown ids by name and changes nothing', async () => {
    const before = await ctx.redis.scard(keys().monitoredExtensions);
    const error = await setMonitoredExtensions(ctx.redis, keys(), ['123', String(ctx.standIn.extensions()[0]?.id)]).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(UnknownExtensionsError);
    expect((error as Error).message).toContain('123');
    expect((error as UnknownExtensionsError).ids).toEqual(['123']);
    await expect(addMonitoredExtensions(ctx.redis, keys(), ['456', '789'])).rejects.toThrow(/unknown extension ids .*456, 789/);
    expect(await ctx.redis.scard(keys().monitoredExtensions)).toBe(before);
    expect(await ctx.redis.hget(keys().directoryMeta, 'monitoredChosenByAdmin')).toBeNull();
  });

  it('keeps an admin-chosen monitored set across syncs, dropping only deleted extensions', async () => {
    const [a, b, c] = ctx.standIn.extensions().filter((e) => e.type === 'Department' || e.status === 'Disabled');
    if (!a || !b || !c) throw new Error('seed lacks queues or disabled users');
    await setMonitoredExtensions(ctx.redis, keys(), [a.id, b.id]);
    expect((await addMonitoredExtensions(ctx.redis, keys(), [String(c.id)])).sort()).toEqual([a.id, b.id, c.id].map(String).sort());
    expect((await removeMonitoredExtensions(ctx.redis, keys(), [String(b.id)])).sort()).toEqual([a.id, c.id].map(String).sort());
    expect(await ctx.redis.hget(keys().directoryMeta, 'monitoredChosenByAdmin')).toBe('1');

    ctx.standIn.removeExtension(c.id);
    ctx.standIn.putExtension({ id: 799999002, extensionNumber: '9002', name: 'Agent 9002', type: 'User', status: 'Enabled' });
    await handle.syncExtensions();

    expect(await ctx.redis.smembers(keys().monitoredExtensions)).toEqual([String(a.id)]);
    expect((await listMonitoredExtensions(ctx.redis, keys())).map((e) => e.name)).toEqual([a.name]);
    expect(await ctx.redis.hexists(keys().extensions, String(c.id))).toBe(0);
  });
});
