// extensions(search, monitoredOnly, first, after): the account's directory from Redis, searched by name or number,
// ordered by extension number, paginated with a keyset cursor (number, id) that stays right while the directory changes.
import type { DirectoryExtension, RedisKeys } from '@callpulse/contracts';
import { type Redis, readExtensions } from '@callpulse/platform';
import { readMonitored } from '../live/monitored.js';
import type { Connection } from '../paging/connection.js';
import { decodeCursor, encodeCursor } from '../paging/cursor.js';

export interface ExtensionNode extends DirectoryExtension {
  monitored: boolean;
}

export interface ExtensionsQuery {
  search?: string | null;
  monitoredOnly?: boolean | null;
  first: number;
  after?: string | null;
}

type ExtensionCursor = [string, string];
const isExtensionCursor = (value: unknown): value is ExtensionCursor =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';

const collator = new Intl.Collator('en', { numeric: true });
const compare = (a: { extensionNumber: string; id: string }, b: { extensionNumber: string; id: string }) =>
  collator.compare(a.extensionNumber, b.extensionNumber) || collator.compare(a.id, b.id);

/** Pure: filters, orders and pages extensions. */
export function pageExtensions(extensions: ExtensionNode[], query: ExtensionsQuery): Connection<ExtensionNode> {
  const needle = query.search?.trim().toLowerCase() ?? '';
  const matching = extensions
    .filter((extension) => !query.monitoredOnly || extension.monitored)
    .filter(
      (extension) =>
        needle === '' ||
        extension.name.toLowerCase().includes(needle) ||
        extension.extensionNumber.toLowerCase().includes(needle) ||
        extension.id === needle,
    )
    .sort(compare);
  let start = 0;
  if (query.after != null) {
    const [extensionNumber, id] = decodeCursor(query.after, isExtensionCursor);
    const index = matching.findIndex((extension) => compare(extension, { extensionNumber, id }) > 0);
    start = index === -1 ? matching.length : index;
  }
  const page = matching.slice(start, start + query.first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor([node.extensionNumber, node.id]) }));
  return {
    edges,
    pageInfo: { hasNextPage: start + query.first < matching.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: matching.length,
  };
}

export async function queryExtensions(redis: Redis, keys: RedisKeys, query: ExtensionsQuery): Promise<Connection<ExtensionNode>> {
  const [extensions, monitored] = await Promise.all([readExtensions(redis, keys), readMonitored(redis, keys)]);
  const ids = new Set(monitored.ids);
  const nodes = extensions.map((extension) => ({ ...extension, monitored: monitored.all || ids.has(extension.id) }));
  return pageExtensions(nodes, query);
}
