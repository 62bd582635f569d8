// Query resolvers: live data from Redis, history from ClickHouse. Arguments are checked here (errors name them).
import type { GraphQLResolveInfo } from 'graphql';
import { readRcSubscription } from '../admin/rc-subscription.js';
import { queryExtensions } from '../directory/extensions-query.js';
import { callColumns } from '../history/call-node.js';
import { queryCallTimeline } from '../history/call-timeline.js';
import { type CallOrder, queryCalls } from '../history/calls-query.js';
import { queryHourlyDensity } from '../history/density-query.js';
import { withNumberStarts } from '../history/number-search.js';
import { queryQueueStats } from '../history/queue-query.js';
import { queryCallStats } from '../history/stats-query.js';
import { type StatsGrouping, statsFigures } from '../history/stats-types.js';
import { checkTimeZone } from '../history/time-range.js';
import { readActiveCalls } from '../live/active-calls.js';
import { readLiveSummary } from '../live/summary.js';
import { pageSize } from '../paging/cursor.js';
import { boardQueryResolvers } from './board-resolvers.js';
import { type CallFilterInput, mergedFilter, reportLegs } from './call-filter.js';
import { type ApiContext, type ApiDeps, requireAdmin } from './context.js';
import { checkIds } from './id-lists.js';
import { filterChecker, reportQueryResolvers } from './report-resolvers.js';
import { selectedPaths } from './selection.js';

interface StatsArgs extends CallFilterInput {
  filter?: CallFilterInput | null;
}

export function queryResolvers(deps: ApiDeps) {
  const { config, redis, keys } = deps;
  const database = config.CLICKHOUSE_DATABASE;
  /** ClickHouse, counted against the request's budget and its key's slots. */
  const clickhouse = (context: ApiContext) => deps.runner.scoped(context.queries);
  const check = filterChecker(deps);
  return {
    ...boardQueryResolvers(deps),
    ...reportQueryResolvers(deps),
    extensions: (
      _: unknown,
      args: { search?: string | null; monitoredOnly?: boolean | null; first?: number | null; after?: string | null },
    ) => queryExtensions(redis, keys, { ...args, first: pageSize(args.first, config.API_MAX_PAGE_SIZE) }),
    liveSummary: () => readLiveSummary(redis, keys),
    activeCalls: (_: unknown, args: { extensionIds?: string[] | null }) =>
      readActiveCalls(redis, keys, checkIds(args.extensionIds, 'extensionIds')),
    calls: async (
      _: unknown,
      args: { filter?: CallFilterInput | null; first?: number | null; after?: string | null; orderBy?: CallOrder | null },
      context: ApiContext,
      info: GraphQLResolveInfo,
    ) => {
      const { range, filter } = await check(args.filter ?? {});
      const runner = clickhouse(context);
      const order = args.orderBy ?? { field: 'START', direction: 'DESC' };
      const selected = selectedPaths(info);
      const nodeFields = [...selected].filter((path) => /^edges\.node\.[^.]+$/.test(path)).map((path) => path.slice('edges.node.'.length));
      return queryCalls(runner, {
        database,
        range,
        // The number search's index, when it pays (number-search.ts); sorted by start only: a duration order's value
        // windows use the per-row test, and already take the request's 4 queries with totalCount.
        filter: order.field === 'START' ? await withNumberStarts(runner, database, range, filter) : filter,
        order,
        first: pageSize(args.first, config.API_MAX_PAGE_SIZE),
        after: args.after,
        count: selected.has('totalCount'),
        read: callColumns(nodeFields),
      });
    },
    callStats: async (_: unknown, args: StatsArgs & { groupBy: StatsGrouping }, context: ApiContext, info: GraphQLResolveInfo) => {
      const { groupBy, ...rest } = args;
      const { range, filter } = await check(mergedFilter(rest));
      // Without a result in the filter, the agents' figures: no fax, redirected ring or supervisor's party.
      return queryCallStats(clickhouse(context), database, range, groupBy, reportLegs(filter), statsFigures(selectedPaths(info)));
    },
    queueStats: async (_: unknown, args: StatsArgs, context: ApiContext) => {
      const { range, filter } = await check(args);
      return queryQueueStats(
        clickhouse(context),
        database,
        range,
        config.API_SERVICE_LEVEL_SECONDS,
        checkIds(args.queueIds, 'queueIds'),
        filter.businessHours,
      );
    },
    callTimeline: (_: unknown, args: { telephonySessionId: string; timeZone?: string | null }, context: ApiContext) =>
      queryCallTimeline(clickhouse(context), database, args.telephonySessionId, checkTimeZone(args.timeZone)),
    rcSubscription: (_: unknown, _args: unknown, context: ApiContext) => {
      requireAdmin(context, 'rcSubscription');
      return readRcSubscription(redis, keys);
    },
    hourlyDensity: async (_: unknown, args: StatsArgs, context: ApiContext) => {
      const { range, filter } = await check(mergedFilter(args));
      return queryHourlyDensity(clickhouse(context), database, range, reportLegs(filter));
    },
  };
}
