// The monitored set of extensions: as call-state and the API read them, and as an admin sets them (the API's admin mutations
// call these). Setting, adding or removing records in directoryMeta that an admin chose, so later syncs only drop
// extensions that were deleted.
import {
  type DirectoryExtension,
  everyExtensionMonitored,
  isMonitoredByDefault,
  type RedisChannels,
  type RedisKeys,
} from '@callpulse/contracts';
import type { Redis } from '../redis/client.js';
import { metaFields, publishDirectoryChanged, readExtensions, replaceMonitoredSet } from './store.js';

export interface MonitoredState {
  /** Every extension is monitored: neither a directory nor a monitored set is in Redis (everyExtensionMonitored). */
  all: boolean;
  /** The monitored set's members (none when `all`). */
  members: string[];
}

/** Which extensions are monitored, as Redis says now (three reads at once). */
export async function readMonitoredState(redis: Redis, keys: RedisKeys): Promise<MonitoredState> {
  const [monitoredSet, directory, members] = await Promise.all([
    redis.exists(keys.monitoredExtensions),
    redis.exists(keys.extensions),
    redis.smembers(keys.monitoredExtensions),
  ]);
  return { all: everyExtensionMonitored({ directory: directory !== 0, monitoredSet: monitoredSet !== 0 }), members };
}

export class UnknownExtensionsError extends Error {
  constructor(readonly ids: string[]) {
    super(`unknown extension id${ids.length === 1 ? '' : 's'} (not in the directory; sync extensions first?): ${ids.join(', ')}`);
    this.name = 'UnknownExtensionsError';
  }
}

export interface MonitoredOptions {
  /** When given, a change is published on channels.directoryChanged. */
  channels?: RedisChannels;
}

function normalise(ids: Iterable<string | number>): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    const text = String(id).trim();
    if (text === '') throw new Error('extension ids must be non-empty');
    out.add(text);
  }
  return [...out];
}

async function checkKnown(redis: Redis, keys: RedisKeys, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const values = await redis.hmget(keys.extensions, ...ids);
  const unknown = ids.filter((_id, index) => values[index] === null);
  if (unknown.length > 0) throw new UnknownExtensionsError(unknown);
}

async function markChosen(redis: Redis, keys: RedisKeys, options: MonitoredOptions): Promise<void> {
  const monitored = await redis.scard(keys.monitoredExtensions);
  await redis.hset(keys.directoryMeta, { [metaFields.monitoredChosenByAdmin]: '1', [metaFields.monitoredCount]: String(monitored) });
  if (options.channels) await publishDirectoryChanged(redis, options.channels, 'monitored', { monitored });
}

/** Makes ids the monitored set; throws UnknownExtensionsError naming ids not in the directory (nothing changes then). */
export async function setMonitoredExtensions(
  redis: Redis,
  keys: RedisKeys,
  ids: Iterable<string | number>,
  options: MonitoredOptions = {},
): Promise<string[]> {
  const wanted = normalise(ids);
  await checkKnown(redis, keys, wanted);
  await replaceMonitoredSet(redis, keys, wanted);
  await markChosen(redis, keys, options);
  return wanted;
}

export async function addMonitoredExtensions(
  redis: Redis,
  keys: RedisKeys,
  ids: Iterable<string | number>,
  options: MonitoredOptions = {},
): Promise<string[]> {
  const wanted = normalise(ids);
  await checkKnown(redis, keys, wanted);
  if (wanted.length > 0) await redis.sadd(keys.monitoredExtensions, ...wanted);
  await markChosen(redis, keys, options);
  return redis.smembers(keys.monitoredExtensions);
}

/** Removes ids from the monitored set; ids not in the directory are an error too (a typo should not pass silently). */
export async function removeMonitoredExtensions(
  redis: Redis,
  keys: RedisKeys,
  ids: Iterable<string | number>,
  options: MonitoredOptions = {},
): Promise<string[]> {
  const unwanted = normalise(ids);
  await checkKnown(redis, keys, unwanted);
  if (unwanted.length > 0) await redis.srem(keys.monitoredExtensions, ...unwanted);
  await markChosen(redis, keys, options);
  return redis.smembers(keys.monitoredExtensions);
}

/** The monitored extensions with their directory records, by extension number. */
export async function listMonitoredExtensions(redis: Redis, keys: RedisKeys): Promise<DirectoryExtension[]> {
  const ids = await redis.smembers(keys.monitoredExtensions);
  const extensions = await readExtensions(redis, keys, ids);
  return extensions.sort((a, b) => a.extensionNumber.localeCompare(b.extensionNumber, 'en', { numeric: true }) || a.id.localeCompare(b.id));
}

/** Back to the default (enabled users), kept up to date by syncs again. */
export async function resetMonitoredExtensions(redis: Redis, keys: RedisKeys, options: MonitoredOptions = {}): Promise<string[]> {
  const ids = (await readExtensions(redis, keys)).filter(isMonitoredByDefault).map((extension) => extension.id);
  await replaceMonitoredSet(redis, keys, ids);
  await redis.hdel(keys.directoryMeta, metaFields.monitoredChosenByAdmin);
  await redis.hset(keys.directoryMeta, metaFields.monitoredCount, String(ids.length));
  if (options.channels) await publishDirectoryChanged(redis, options.channels, 'monitored', { monitored: ids.length });
  return ids;
}
