// Subscriptions, pushed from the Redis channels this instance listens to (live/live-events.ts); never polled.
import type { CompletedLegRecord, LiveLegSnapshot, LiveSummary } from '@callpulse/shared';
import { filter, map, pipe, Repeater } from 'graphql-yoga';
import { callFromRecord } from '../history/call-node.js';
import { activeCallFromSnapshot } from '../live/active-calls.js';
import { readLiveSummary } from '../live/summary.js';
import type { ApiDeps } from './context.js';
import { checkIds } from './id-lists.js';

/** Counts the subscription in the gauge while it is open, and ends the source when the client leaves. */
function tracked<T>(
  deps: ApiDeps,
  field: string,
  source: () => AsyncIterableIterator<T>,
  options: { first?: () => Promise<T>; open?: () => () => void } = {},
): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    deps.metrics.subscriptions.inc({ field });
    const close = options.open?.();
    const iterator = source();
    stop.then(() => {
      deps.metrics.subscriptions.dec({ field });
      close?.();
      void iterator.return?.();
    });
    // Listen before reading the first value, so no change in between is lost; the first push is not awaited (it
    // resolves only when the client takes the value).
    let next = iterator.next();
    if (options.first) void push(await options.first());
    for (let result = await next; !result.done; result = await next) {
      await push(result.value);
      next = iterator.next();
    }
    stop();
  });
}

const inSet = (ids: readonly string[] | null) => {
  const set = ids === null ? null : new Set(ids);
  return (extensionId: string) => set === null || set.has(extensionId);
};

export function subscriptionResolvers(deps: ApiDeps) {
  const { pubsub } = deps.live;
  return {
    activeCallChanged: {
      subscribe: (_: unknown, args: { extensionIds?: string[] | null }) => {
        const wanted = inSet(checkIds(args.extensionIds, 'extensionIds'));
        return tracked(deps, 'activeCallChanged', () =>
          pipe(
            pubsub.subscribe('leg'),
            filter((leg: LiveLegSnapshot) => wanted(leg.extensionId)),
            map(activeCallFromSnapshot),
          ),
        );
      },
      resolve: (payload: unknown) => payload,
    },
    liveSummaryChanged: {
      subscribe: () =>
        tracked<LiveSummary>(deps, 'liveSummaryChanged', () => pubsub.subscribe('summary'), {
          open: () => deps.live.watchSummary(),
          first: () => readLiveSummary(deps.redis, deps.keys),
        }),
      resolve: (payload: unknown) => payload,
    },
    callCompleted: {
      subscribe: (_: unknown, args: { extensionIds?: string[] | null }) => {
        const wanted = inSet(checkIds(args.extensionIds, 'extensionIds'));
        return tracked(deps, 'callCompleted', () =>
          pipe(
            pubsub.subscribe('completed'),
            filter((record: CompletedLegRecord) => wanted(record.extensionId)),
            map(callFromRecord),
          ),
        );
      },
      resolve: (payload: unknown) => payload,
    },
  };
}
