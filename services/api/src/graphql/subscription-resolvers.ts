// Subscriptions, pushed from the Redis channels this instance listens to (live/live-events.ts); never polled. Each
// subscriber has a bounded queue: one that falls too far behind gets a SUBSCRIBER_TOO_SLOW error and its
// subscription ends (live/fanout.ts).
import type { CompletedLegRecord, LiveLegSnapshot, LiveSummary } from '@callpulse/contracts';
import { callFromRecord } from '../history/call-node.js';
import { activeCallFromSnapshot } from '../live/active-calls.js';
import { SubscriberTooSlow } from '../live/fanout.js';
import type { LiveTopics } from '../live/live-events.js';
import { readLiveSummary } from '../live/summary.js';
import { boardSubscriptionResolvers } from './board-resolvers.js';
import type { ApiDeps } from './context.js';
import { tooSlow } from './errors.js';
import { checkIds } from './id-lists.js';

type Field = 'activeCallChanged' | 'liveSummaryChanged' | 'callCompleted';

const inSet = (ids: readonly string[] | null) => {
  const set = ids === null ? null : new Set(ids);
  return (extensionId: string) => set === null || set.has(extensionId);
};

/** The value a subscription delivers; the marker of a dropped subscriber becomes its error. */
const delivered =
  <T, R>(map: (value: T) => R) =>
  (payload: T | SubscriberTooSlow): R => {
    if (payload instanceof SubscriberTooSlow) throw tooSlow(payload.limit);
    return map(payload);
  };

export function subscriptionResolvers(deps: ApiDeps) {
  const { fanout } = deps.live;
  /** Counts the subscription in the gauge while it is open, and drops in the counter. */
  const subscribe = <K extends keyof LiveTopics & string>(
    field: Field,
    topic: K,
    options: { accept?: (value: LiveTopics[K]) => boolean; first?: () => Promise<LiveTopics[K]>; open?: () => () => void } = {},
  ) => {
    deps.metrics.subscriptions.inc({ field });
    const close = options.open?.();
    return fanout.subscribe(topic, {
      accept: options.accept,
      first: options.first,
      onClose: () => {
        deps.metrics.subscriptions.dec({ field });
        close?.();
      },
      onDrop: () => {
        deps.metrics.droppedSubscribers.inc({ field });
        deps.logger.warn({ field }, 'dropped a subscriber that fell behind');
      },
    });
  };
  return {
    ...boardSubscriptionResolvers(deps),
    activeCallChanged: {
      subscribe: (_: unknown, args: { extensionIds?: string[] | null }) => {
        const wanted = inSet(checkIds(args.extensionIds, 'extensionIds'));
        return subscribe('activeCallChanged', 'leg', { accept: (leg: LiveLegSnapshot) => wanted(leg.extensionId) });
      },
      resolve: delivered(activeCallFromSnapshot),
    },
    liveSummaryChanged: {
      subscribe: () =>
        subscribe('liveSummaryChanged', 'summary', {
          open: () => deps.live.watchSummary(),
          first: () => readLiveSummary(deps.redis, deps.keys),
        }),
      resolve: delivered((summary: LiveSummary) => summary),
    },
    callCompleted: {
      subscribe: (_: unknown, args: { extensionIds?: string[] | null }) => {
        const wanted = inSet(checkIds(args.extensionIds, 'extensionIds'));
        return subscribe('callCompleted', 'completed', { accept: (record: CompletedLegRecord) => wanted(record.extensionId) });
      },
      resolve: delivered(callFromRecord),
    },
  };
}
