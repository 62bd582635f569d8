// Reads the account's extensions from RingCentral into Redis, asking for page N with perPage=1000 explicitly (the
// navigation URIs in RingCentral's example carry no perPage), and applies extension-list events in both published
// shapes (debounced; more than a few at once become a full sync, which costs fewer requests). One operation at a time.
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import { type DirectoryExtension, type ExtensionListEventType, parseExtensionListEvents, toDirectoryExtension } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import { publishDirectoryChanged, removeExtension, upsertExtension, writeDirectory } from '@callpulse/platform';
import type { RcMetrics } from './metrics.js';
import type { RcApi, RingCentralApiError } from './platform.js';

export const EXTENSION_LIST_PATH = '/restapi/v1.0/account/~/extension';
const PAGE_SIZE = 1000;
const MAX_PAGES = 1000;
/**
 * More pending events than this and a full sync instead: each event is one readExtension (Light group, 50 a minute by
 * default, shared with the subscription checks), a full sync one listExtensions (Medium) per 1,000 extensions.
 */
export const EVENTS_BEFORE_FULL_SYNC = 10;

interface ExtensionPage {
  records?: unknown[];
  paging?: { page?: number; totalPages?: number };
  navigation?: { nextPage?: { uri?: string } };
}

/** Whether another page follows: RingCentral's nextPage link, or paging.totalPages beyond this page. */
function hasNextPage(page: ExtensionPage, number: number): boolean {
  if ((page.records ?? []).length === 0) return false;
  if (page.navigation?.nextPage?.uri) return true;
  return typeof page.paging?.totalPages === 'number' && number < page.paging.totalPages;
}

/** Every extension of the account, page by page: page=N&perPage=1000 each time (nextPage URIs are not followed). */
export async function fetchAllExtensions(api: RcApi, signal?: AbortSignal): Promise<DirectoryExtension[]> {
  const extensions: DirectoryExtension[] = [];
  for (let number = 1; ; number++) {
    signal?.throwIfAborted();
    const page = await api.get<ExtensionPage>(EXTENSION_LIST_PATH, { page: number, perPage: PAGE_SIZE });
    for (const record of page.records ?? []) extensions.push(toDirectoryExtension(record));
    if (!hasNextPage(page, number)) return extensions;
    if (number >= MAX_PAGES) throw new Error(`extension list has more than ${MAX_PAGES} pages; stopped`);
  }
}

export interface DirectorySyncDeps {
  api: RcApi;
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  logger: Logger;
  metrics: RcMetrics;
  debounceMs: number;
  signal: AbortSignal;
}

export function createDirectorySync(deps: DirectorySyncDeps) {
  const { api, redis, keys, channels, logger, metrics } = deps;
  let chain: Promise<unknown> = Promise.resolve();
  let queuedSync: Promise<{ count: number }> | undefined;
  const pending = new Map<string, ExtensionListEventType>();
  let debounce: NodeJS.Timeout | undefined;

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  };

  async function fullSync(): Promise<{ count: number }> {
    const started = Date.now();
    try {
      const extensions = await fetchAllExtensions(api, deps.signal);
      const { count, removed, monitored } = await writeDirectory(redis, keys, extensions);
      metrics.directoryExtensions.set(count);
      metrics.monitoredExtensions.set(monitored);
      metrics.directorySyncs.inc({ result: 'ok' });
      await publishDirectoryChanged(redis, channels, 'sync', { count, monitored, removed: removed.length });
      logger.info({ count, monitored, removed: removed.length, ms: Date.now() - started }, 'extension directory synced');
      return { count };
    } catch (err) {
      metrics.directorySyncs.inc({ result: 'error' });
      throw err;
    }
  }

  function syncAll(): Promise<{ count: number }> {
    // A sync queued behind another operation and not yet started serves every caller until it starts.
    if (queuedSync) return queuedSync;
    const sync = serial(() => {
      queuedSync = undefined;
      return fullSync();
    });
    queuedSync = sync;
    return sync;
  }

  async function applyEvents(events: Array<[string, ExtensionListEventType]>): Promise<void> {
    if (events.length > EVENTS_BEFORE_FULL_SYNC) {
      logger.info({ events: events.length }, 'many extension-list events at once: reloading the whole directory instead');
      await fullSync();
      return;
    }
    // Every event is confirmed with RingCentral, a Delete included (the webhook may be forged): only a 404 removes an
    // extension; a record that still exists is stored as RingCentral has it (the monitoring rules decide); an error
    // changes nothing for that extension (the next full sync settles it).
    for (const [id, eventType] of events) {
      try {
        const extension = toDirectoryExtension(await api.get(`${EXTENSION_LIST_PATH}/${encodeURIComponent(id)}`));
        await upsertExtension(redis, keys, extension);
        if (eventType === 'Delete') {
          logger.warn(
            { extensionId: id, status: extension.status },
            'extension-list Delete not confirmed: RingCentral still has the extension; kept',
          );
        }
      } catch (err) {
        if ((err as RingCentralApiError).status === 404) {
          await removeExtension(redis, keys, id);
          continue;
        }
        logger.warn(
          { extensionId: id, eventType, reason: (err as Error).message },
          'could not confirm an extension-list event with RingCentral; the extension is left as it was',
        );
      }
    }
    const [count, monitored] = await Promise.all([redis.hlen(keys.extensions), redis.scard(keys.monitoredExtensions)]);
    metrics.directoryExtensions.set(count);
    metrics.monitoredExtensions.set(monitored);
    await publishDirectoryChanged(redis, channels, 'extension-event', { ids: events.map(([id]) => id) });
    logger.info({ events: events.length, count, monitored }, 'extension-list events applied');
  }

  function flush(): void {
    debounce = undefined;
    const events = [...pending];
    pending.clear();
    serial(() => applyEvents(events)).catch((err: unknown) =>
      logger.error({ err, events: events.length }, 'applying extension-list events failed'),
    );
  }

  function onExtensionListEvent(body: unknown): void {
    const { events, problems } = parseExtensionListEvents(body);
    for (const reason of problems.slice(0, 5)) logger.warn({ reason }, 'ignored (part of) an extension-list event');
    if (events.length === 0 || deps.signal.aborted) return;
    for (const event of events) {
      // A Delete that follows a Create of the same extension wins, and the other way round: the last word counts
      // (each is confirmed with RingCentral anyway).
      pending.delete(event.extensionId);
      pending.set(event.extensionId, event.eventType);
    }
    logger.debug({ events: events.length, pending: pending.size }, 'extension-list events queued');
    if (!debounce) {
      debounce = setTimeout(flush, deps.debounceMs);
      debounce.unref();
    }
  }

  return {
    syncAll,
    onExtensionListEvent,
    /** Cancels pending events and waits for the operation in flight, if any. */
    async stop(): Promise<void> {
      if (debounce) clearTimeout(debounce);
      pending.clear();
      await chain;
    },
  };
}

export type DirectorySync = ReturnType<typeof createDirectorySync>;
