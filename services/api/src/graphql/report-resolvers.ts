// Resolvers of the reports page (report-type-defs.ts): each report checks its CallFilter (call-filter.ts), reads the
// business hours when the filter asks for them, and runs ONE ClickHouse query; the leaderboard adds the agents'
// names from the directory (Redis). Business hours: read by any key, set and cleared by an admin.
import { type BusinessHours, weekdayNames } from '@callpulse/contracts';
import { readExtensions } from '@callpulse/platform';
import { type BusinessHoursInput, checkBusinessHours } from '../admin/business-hours.js';
import { clearBusinessHours, readBusinessHours, writeBusinessHours } from '../admin/business-hours-store.js';
import { queryDurations } from '../history/duration-query.js';
import { queryHeatmap } from '../history/heatmap-query.js';
import { type AgentOrder, queryLeaderboard } from '../history/leaderboard-query.js';
import { queryReportKpis } from '../history/report-kpis.js';
import { isoInstant } from '../history/time-range.js';
import { queryVolume, type VolumeInterval } from '../history/volume-query.js';
import { pageSize } from '../paging/cursor.js';
import { type CallFilterInput, type CheckedFilter, checkFilter, reportLegs } from './call-filter.js';
import { type ApiContext, type ApiDeps, requireAdmin } from './context.js';
import { badInput } from './errors.js';

type FilterArgs = { filter?: CallFilterInput | null };

/** A checked filter with the business hours of this deployment (call-filter.ts), for resolvers and the export. */
export function filterChecker(deps: ApiDeps): (input: CallFilterInput) => Promise<CheckedFilter> {
  return (input) =>
    checkFilter(input, {
      maxRangeDays: deps.config.API_MAX_RANGE_DAYS,
      businessHours: () => readBusinessHours(deps.redis, deps.keys, deps.logger),
    });
}

const shownHours = (hours: BusinessHours) => ({
  timeZone: hours.timeZone,
  ...Object.fromEntries(weekdayNames.map((day) => [day, hours.week[day]])),
  holidays: hours.holidays,
  updatedAt: isoInstant(hours.updatedAtMs),
});

export function reportQueryResolvers(deps: ApiDeps) {
  const database = deps.config.CLICKHOUSE_DATABASE;
  const check = filterChecker(deps);
  const clickhouse = (context: ApiContext) => deps.runner.scoped(context.queries);
  /** The report's range and legs. */
  const legsOf = async (args: FilterArgs) => {
    const { range, filter } = await check(args.filter ?? {});
    return { range, filter: reportLegs(filter) };
  };
  return {
    reportKpis: async (_: unknown, args: FilterArgs & { serviceLevelSeconds?: number | null }, context: ApiContext) => {
      const seconds = args.serviceLevelSeconds ?? deps.config.API_SERVICE_LEVEL_SECONDS;
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
        throw badInput(`serviceLevelSeconds must be a whole number from 0 to 3600, got ${seconds}`, 'serviceLevelSeconds');
      }
      const { range, filter } = await legsOf(args);
      return queryReportKpis(clickhouse(context), database, range, filter, seconds);
    },
    callVolume: async (_: unknown, args: FilterArgs & { interval: VolumeInterval }, context: ApiContext) => {
      const { range, filter } = await legsOf(args);
      return queryVolume(clickhouse(context), database, range, args.interval, filter);
    },
    weekdayHourHeatmap: async (_: unknown, args: FilterArgs, context: ApiContext) => {
      const { range, filter } = await legsOf(args);
      return queryHeatmap(clickhouse(context), database, range, filter);
    },
    durationStats: async (_: unknown, args: FilterArgs, context: ApiContext) => {
      const { range, filter } = await legsOf(args);
      return queryDurations(clickhouse(context), database, range, filter);
    },
    agentLeaderboard: async (
      _: unknown,
      args: FilterArgs & { orderBy?: AgentOrder | null; first?: number | null },
      context: ApiContext,
    ) => {
      const first = pageSize(args.first, deps.config.API_MAX_PAGE_SIZE);
      const { range, filter } = await legsOf(args);
      const agents = await queryLeaderboard(
        clickhouse(context),
        database,
        range,
        filter,
        args.orderBy ?? { field: 'CALLS', direction: 'DESC' },
        first,
      );
      const directory = new Map(
        (
          await readExtensions(
            deps.redis,
            deps.keys,
            agents.map((agent) => agent.extensionId),
          )
        ).map((extension) => [extension.id, extension]),
      );
      return agents.map((agent) => ({
        ...agent,
        extensionNumber: directory.get(agent.extensionId)?.extensionNumber ?? null,
        name: directory.get(agent.extensionId)?.name ?? null,
      }));
    },
    businessHours: async () => {
      const hours = await readBusinessHours(deps.redis, deps.keys, deps.logger);
      return hours === null ? null : shownHours(hours);
    },
  };
}

export function businessHoursMutationResolvers(deps: ApiDeps) {
  return {
    setBusinessHours: async (_: unknown, args: { hours: BusinessHoursInput }, context: ApiContext) => {
      requireAdmin(context);
      const hours = checkBusinessHours(args.hours);
      await writeBusinessHours(deps.redis, deps.keys, hours);
      deps.logger.info({ timeZone: hours.timeZone, holidays: hours.holidays.length }, 'business hours set');
      return shownHours(hours);
    },
    clearBusinessHours: async (_: unknown, _args: unknown, context: ApiContext) => {
      requireAdmin(context);
      const cleared = await clearBusinessHours(deps.redis, deps.keys);
      deps.logger.info({ cleared }, 'business hours cleared');
      return cleared;
    },
  };
}
