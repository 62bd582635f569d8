// The directory in Redis: extensions hash (id -> JSON), the monitored set, and directory metadata. Writes are pipelined
// in chunks so a 10,000-extension account loads in a few round trips. Keys have no common hash tag, so no cross-key MULTI.
import { type DirectoryExtension, isMonitoredByDefault, type RedisChannels, type RedisKeys } from '@callpulse/contracts';
import type { Redis } from '../redis/client.js';

const CHUNK = 500;

export const metaFields = {
  lastSyncAt: 'lastSyncAt',
  count: 'count',
  monitoredCount: 'monitoredCount',
  monitoredChosenByAdmin: 'monitoredChosenByAdmin',
} as const;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function monitoredChosenByAdmin(redis: Redis, keys: RedisKeys): Promise<boolean> {
  return (await redis.hget(keys.directoryMeta, metaFields.monitoredChosenByAdmin)) === '1';
}

/** Replaces the monitored set with ids (one MULTI on the one key, so readers never see it half-written). */
export async function replaceMonitoredSet(redis: Redis, keys: RedisKeys, ids: string[]): Promise<void> {
  const multi = redis.multi().del(keys.monitoredExtensions);
  for (const part of chunks(ids, 1000)) multi.sadd(keys.monitoredExtensions, ...part);
  await multi.exec();
}

/** Writes the account's whole directory: upserts every extension, removes the ones that disappeared, updates the monitored set. */
export async function writeDirectory(
  redis: Redis,
  keys: RedisKeys,
  extensions: DirectoryExtension[],
  now = Date.now(),
): Promise<{ count: number; removed: string[]; monitored: number }> {
  const ids = new Set(extensions.map((extension) => extension.id));
  const removed = (await redis.hkeys(keys.extensions)).filter((id) => !ids.has(id));
  const pipeline = redis.pipeline();
  for (const part of chunks(extensions)) {
    pipeline.hset(keys.extensions, Object.fromEntries(part.map((extension) => [extension.id, JSON.stringify(extension)])));
  }
  for (const part of chunks(removed)) pipeline.hdel(keys.extensions, ...part);
  await pipeline.exec();

  if (await monitoredChosenByAdmin(redis, keys)) {
    for (const part of chunks(removed)) await redis.srem(keys.monitoredExtensions, ...part);
  } else {
    await replaceMonitoredSet(
      redis,
      keys,
      extensions.filter(isMonitoredByDefault).map((extension) => extension.id),
    );
  }
  const monitored = await redis.scard(keys.monitoredExtensions);
  await redis.hset(keys.directoryMeta, {
    [metaFields.lastSyncAt]: String(now),
    [metaFields.count]: String(extensions.length),
    [metaFields.monitoredCount]: String(monitored),
  });
  return { count: extensions.length, removed, monitored };
}

/** Applies one created or updated extension (from an extension-list event). */
export async function upsertExtension(redis: Redis, keys: RedisKeys, extension: DirectoryExtension): Promise<void> {
  await redis.hset(keys.extensions, extension.id, JSON.stringify(extension));
  if (!(await monitoredChosenByAdmin(redis, keys))) {
    if (isMonitoredByDefault(extension)) await redis.sadd(keys.monitoredExtensions, extension.id);
    else await redis.srem(keys.monitoredExtensions, extension.id);
  }
  await updateCounts(redis, keys);
}

/** Removes a deleted extension from the directory and the monitored set. */
export async function removeExtension(redis: Redis, keys: RedisKeys, id: string): Promise<void> {
  await redis.hdel(keys.extensions, id);
  await redis.srem(keys.monitoredExtensions, id);
  await updateCounts(redis, keys);
}

async function updateCounts(redis: Redis, keys: RedisKeys): Promise<void> {
  const [count, monitored] = await Promise.all([redis.hlen(keys.extensions), redis.scard(keys.monitoredExtensions)]);
  await redis.hset(keys.directoryMeta, { [metaFields.count]: String(count), [metaFields.monitoredCount]: String(monitored) });
}

export async function readExtensions(redis: Redis, keys: RedisKeys, ids?: string[]): Promise<DirectoryExtension[]> {
  const values =
    ids === undefined ? Object.values(await redis.hgetall(keys.extensions)) : ids.length ? await redis.hmget(keys.extensions, ...ids) : [];
  return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as DirectoryExtension);
}

export interface DirectoryCounts {
  extensions: number;
  monitored: number;
  lastSyncAt: number | undefined;
  monitoredChosenByAdmin: boolean;
}

export async function directoryCounts(redis: Redis, keys: RedisKeys): Promise<DirectoryCounts> {
  const [extensions, monitored, meta] = await Promise.all([
    redis.hlen(keys.extensions),
    redis.scard(keys.monitoredExtensions),
    redis.hgetall(keys.directoryMeta),
  ]);
  const lastSyncAt = meta[metaFields.lastSyncAt];
  return {
    extensions,
    monitored,
    lastSyncAt: lastSyncAt === undefined ? undefined : Number(lastSyncAt),
    monitoredChosenByAdmin: meta[metaFields.monitoredChosenByAdmin] === '1',
  };
}

export async function publishDirectoryChanged(redis: Redis, channels: RedisChannels, reason: string, details: object = {}): Promise<void> {
  await redis.publish(channels.directoryChanged, JSON.stringify({ reason, at: Date.now(), ...details }));
}
