// Query resolvers: live data from Redis, history from ClickHouse. Arguments are checked here (errors name them).
import { nonCallResults } from '@callpulse/contracts';
import type { GraphQLResolveInfo } from 'graphql';
import { queryExtensions } from '../directory/extensions-query.js';
import { type CallOrder, queryCalls } from '../history/calls-query.js';
import { queryHourlyDensity } from '../history/density-query.js';
import type { LegFilter } from '../history/leg-filter.js';
import { queryQueueStats } from '../history/queue-query.js';
import { queryCallStats } from '../history/stats-query.js';
import { type StatsGrouping, statsFigures } from '../history/stats-types.js';
import { type RangeInput, resolveRange } from '../history/time-range.js';
import { readActiveCalls } from '../live/active-calls.js';
import { readLiveSummary } from '../live/summary.js';
import { pageSize } from '../paging/cursor.js';
import { boardQueryResolvers } from './board-resolvers.js';
import type { ApiContext, ApiDeps } from './context.js';
import { badInput } from './errors.js';
import { checkIds } from './id-lists.js';
import { selectedPaths } from './selection.js';

interface CallFilterInput extends RangeInput {
  extensionIds?: string[] | null;
  direction?: string | null;
  result?: string[] | null;
  queueIds?: string[] | null;
  phoneNumber?: string | null;
  minRingMs?: number | null;
  minTalkMs?: number | null;
  minHoldMs?: number | null;
}

interface StatsArgs extends RangeInput {
  extensionIds?: string[] | null;
  queueIds?: string[] | null;
}

function nonNegative(value: number | null | undefined, argument: string): number | null {
  if (value == null) return null;
  if (value < 0) throw badInput(`${argument} must not be negative, got ${value}`, argument);
  return value;
}

function legFilter(input: CallFilterInput): LegFilter {
  if (input.phoneNumber != null && input.phoneNumber.length > 64)
    throw badInput('filter.phoneNumber may be at most 64 characters', 'phoneNumber');
  return {
    extensionIds: checkIds(input.extensionIds, 'extensionIds'),
    direction: input.direction ?? null,
    results: input.result ?? null,
    queueIds: checkIds(input.queueIds, 'queueIds'),
    phoneNumber: input.phoneNumber ?? null,
    minRingMs: nonNegative(input.minRingMs, 'minRingMs'),
    minTalkMs: nonNegative(input.minTalkMs, 'minTalkMs'),
    minHoldMs: nonNegative(input.minHoldMs, 'minHoldMs'),
  };
}

export function queryResolvers(deps: ApiDeps) {
  const { config, redis, keys } = deps;
  const database = config.CLICKHOUSE_DATABASE;
  /** ClickHouse, counted against the request's budget and its key's slots. */
  const clickhouse = (context: ApiContext) => deps.runner.scoped(context.queries);
  const range = (input: RangeInput) => resolveRange(input, config.API_MAX_RANGE_DAYS);
  return {
    ...boardQueryResolvers(deps),
    extensions: (
      _: unknown,
      args: { search?: string | null; monitoredOnly?: boolean | null; first?: number | null; after?: string | null },
    ) => queryExtensions(redis, keys, { ...args, first: pageSize(args.first, config.API_MAX_PAGE_SIZE) }),
    liveSummary: () => readLiveSummary(redis, keys),
    activeCalls: (_: unknown, args: { extensionIds?: string[] | null }) =>
      readActiveCalls(redis, keys, checkIds(args.extensionIds, 'extensionIds')),
    calls: (
      _: unknown,
      args: { filter?: CallFilterInput | null; first?: number | null; after?: string | null; orderBy?: CallOrder | null },
      context: ApiContext,
      info: GraphQLResolveInfo,
    ) => {
      const filter = args.filter ?? {};
      return queryCalls(clickhouse(context), {
        database,
        range: range(filter),
        filter: legFilter(filter),
        order: args.orderBy ?? { field: 'START', direction: 'DESC' },
        first: pageSize(args.first, config.API_MAX_PAGE_SIZE),
        after: args.after,
        count: selectedPaths(info).has('totalCount'),
      });
    },
    callStats: (_: unknown, args: StatsArgs & { groupBy: StatsGrouping }, context: ApiContext, info: GraphQLResolveInfo) =>
      queryCallStats(
        clickhouse(context),
        database,
        range(args),
        args.groupBy,
        {
          extensionIds: checkIds(args.extensionIds, 'extensionIds'),
          queueIds: checkIds(args.queueIds, 'queueIds'),
          excludeResults: nonCallResults, // the agents' figures: no fax, redirected ring or supervisor's party
        },
        statsFigures(selectedPaths(info)),
      ),
    queueStats: (_: unknown, args: StatsArgs, context: ApiContext) =>
      queryQueueStats(clickhouse(context), database, range(args), config.API_SERVICE_LEVEL_SECONDS, checkIds(args.queueIds, 'queueIds')),
    hourlyDensity: (_: unknown, args: StatsArgs, context: ApiContext) =>
      queryHourlyDensity(clickhouse(context), database, range(args), {
        extensionIds: checkIds(args.extensionIds, 'extensionIds'),
        excludeResults: nonCallResults,
      }),
  };
}
