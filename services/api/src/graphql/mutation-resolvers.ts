// Admin mutations: the monitored set (written through the shared directory functions, which tell call-state),
// commands for the ingest instance with the RingCentral login, and the business hours (report-resolvers.ts).
import {
  addMonitoredExtensions,
  listMonitoredExtensions,
  removeMonitoredExtensions,
  setMonitoredExtensions,
  UnknownExtensionsError,
} from '@callpulse/platform';
import { runAdminCommand } from '../admin/admin-commands.js';
import { type ApiContext, type ApiDeps, requireAdmin } from './context.js';
import { badInput } from './errors.js';
import { checkIds } from './id-lists.js';
import { businessHoursMutationResolvers } from './report-resolvers.js';

type Change = typeof setMonitoredExtensions;

export function mutationResolvers(deps: ApiDeps) {
  const { redis, keys, channels, config } = deps;
  const change = (apply: Change) => async (_: unknown, args: { ids: string[] }, context: ApiContext) => {
    requireAdmin(context);
    const ids = checkIds(args.ids, 'ids') ?? [];
    try {
      await apply(redis, keys, ids, { channels });
    } catch (err) {
      if (err instanceof UnknownExtensionsError) throw badInput(err.message, 'ids');
      throw err;
    }
    deps.logger.info({ ids: ids.length, change: apply.name }, 'monitored extensions changed');
    return (await listMonitoredExtensions(redis, keys)).map((extension) => ({ ...extension, monitored: true }));
  };
  const command = (name: 'sync-extensions' | 'recreate-subscription') => async (_: unknown, _args: unknown, context: ApiContext) => {
    requireAdmin(context);
    const outcome = await runAdminCommand({ redis, channels, live: deps.live }, name, config.API_ADMIN_COMMAND_TIMEOUT_MS);
    return { ok: outcome.ok, result: outcome.result == null ? null : JSON.stringify(outcome.result) };
  };
  return {
    setMonitoredExtensions: change(setMonitoredExtensions),
    addMonitoredExtensions: change(addMonitoredExtensions),
    removeMonitoredExtensions: change(removeMonitoredExtensions),
    syncExtensions: command('sync-extensions'),
    recreateSubscription: command('recreate-subscription'),
    ...businessHoursMutationResolvers(deps),
  };
}
