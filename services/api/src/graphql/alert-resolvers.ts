// Resolvers of alerts (alert-type-defs.ts, docs/alerts.md): the admin's rules and targets (checked by
// alerts/validation.ts, every bad field named), the alerts firing now, the recent transitions and alertChanged.
// AlertTarget.delivery and testAlertTarget come from the delivery (alert-delivery-resolvers.ts).
import type { AlertRule, AlertTarget, AlertTransition } from '@callpulse/contracts';
import { GraphQLError } from 'graphql';
import { readActiveAlerts, readAlertHistory } from '../alerts/alert-reads.js';
import {
  countAlertRules,
  countAlertTargets,
  deleteAlertRule,
  deleteAlertTarget,
  listAlertRules,
  listAlertTargets,
  readAlertRule,
  readAlertTarget,
  writeAlertRule,
  writeAlertTarget,
} from '../alerts/store.js';
import {
  type AlertRuleInput,
  type AlertTargetInput,
  checkAlertRule,
  checkAlertTarget,
  type Problem,
  problemsText,
} from '../alerts/validation.js';
import { isoInstant, isoInstantOrNull } from '../history/time-range.js';
import { SubscriberTooSlow } from '../live/fanout.js';
import { deliveryResolvers } from './alert-delivery-resolvers.js';
import { alertsOf } from './alert-runtime.js';
import { type ApiContext, type ApiDeps, requireAdmin } from './context.js';
import { badInput, tooSlow } from './errors.js';

/** An invalid rule or target: every problem in the message, the first field as `argument`, all of them as `problems`. */
function refused(problems: readonly Problem[], prefix: string): GraphQLError {
  return new GraphQLError(problemsText(problems), {
    extensions: {
      code: 'BAD_USER_INPUT',
      argument: `${prefix}.${problems[0]?.field ?? ''}`,
      problems: problems.map((problem) => ({ ...problem, field: `${prefix}.${problem.field}` })),
    },
  });
}

const notFound = (what: string, id: string) => badInput(`no alert ${what} ${JSON.stringify(id.slice(0, 80))}`, 'id');

export function ruleNode(rule: AlertRule) {
  return {
    ...rule,
    createdAt: isoInstant(rule.createdAtMs),
    updatedAt: isoInstant(rule.updatedAtMs),
  };
}

/** A target as the API shows it: the secret left out, whether one is set said. */
export function targetNode(target: AlertTarget) {
  const { secret, ...rest } = target;
  return { ...rest, hasSecret: secret !== null && secret !== '' };
}

export function transitionNode(transition: AlertTransition) {
  return { ...transition, at: isoInstant(transition.atMs), firedAt: isoInstantOrNull(transition.firedAtMs) };
}

export function alertResolvers(deps: ApiDeps) {
  const store = { redis: deps.redis, keys: deps.keys, logger: deps.logger };
  const delivery = deliveryResolvers(deps);
  /** The targets of one request, read once however many rules name them. */
  const targetsOf = new WeakMap<ApiContext, Promise<Map<string, AlertTarget>>>();
  const targets = (context: ApiContext) => {
    let read = targetsOf.get(context);
    if (!read) {
      read = listAlertTargets(store).then((list) => new Map(list.map((target) => [target.id, target])));
      targetsOf.set(context, read);
    }
    return read;
  };
  const rulesChanged = () => alertsOf(deps).rulesChanged();

  const saveRule = async (input: AlertRuleInput, previous?: AlertRule) => {
    const [known, count] = await Promise.all([listAlertTargets(store), countAlertRules(store)]);
    const checked = checkAlertRule(input, {
      targetIds: new Set(known.map((target) => target.id)),
      ruleCount: previous ? count - 1 : count,
    });
    if (!checked.ok) throw refused(checked.problems, 'rule');
    const rule = await writeAlertRule(store, checked.value, previous);
    deps.logger.info(
      { ruleId: rule.id, kind: rule.condition.kind, enabled: rule.enabled, change: previous ? 'updated' : 'created' },
      'alert rule saved',
    );
    rulesChanged();
    return ruleNode(rule);
  };

  const saveTarget = async (input: AlertTargetInput, previous?: AlertTarget) => {
    const count = await countAlertTargets(store);
    const checked = checkAlertTarget(input, { targetCount: previous ? count - 1 : count, allowHttp: deps.config.API_ALERT_ALLOW_HTTP });
    if (!checked.ok) throw refused(checked.problems, 'target');
    const target = await writeAlertTarget(store, checked.value, previous);
    deps.logger.info({ targetId: target.id, kind: target.kind, change: previous ? 'updated' : 'created' }, 'alert target saved');
    rulesChanged();
    return targetNode(target);
  };

  const rule = async (id: string) => {
    const found = await readAlertRule(store, id);
    if (!found) throw notFound('rule', id);
    return found;
  };

  const target = async (id: string) => {
    const found = await readAlertTarget(store, id);
    if (!found) throw notFound('target', id);
    return found;
  };

  return {
    Query: {
      alertRules: async (_: unknown, __: unknown, context: ApiContext) => {
        requireAdmin(context, 'alertRules');
        return (await listAlertRules(store)).map(ruleNode);
      },
      alertTargets: async (_: unknown, __: unknown, context: ApiContext) => {
        requireAdmin(context, 'alertTargets');
        return (await listAlertTargets(store)).map(targetNode);
      },
      activeAlerts: async () => (await readActiveAlerts(deps.redis, deps.keys)).map(transitionNode),
      alertHistory: async (_: unknown, args: { first?: number | null; ruleId?: string | null }) => {
        const first = args.first ?? 100;
        const max = deps.config.API_MAX_PAGE_SIZE;
        if (!Number.isInteger(first) || first < 1 || first > max) throw badInput(`first must be 1-${max}, got ${first}`, 'first');
        return (await readAlertHistory(deps.redis, deps.keys, first, args.ruleId ?? null)).map(transitionNode);
      },
    },
    Mutation: {
      createAlertRule: (_: unknown, args: { rule: AlertRuleInput }, context: ApiContext) => {
        requireAdmin(context);
        return saveRule(args.rule);
      },
      updateAlertRule: async (_: unknown, args: { id: string; rule: AlertRuleInput }, context: ApiContext) => {
        requireAdmin(context);
        return saveRule(args.rule, await rule(args.id));
      },
      setAlertRuleEnabled: async (_: unknown, args: { id: string; enabled: boolean }, context: ApiContext) => {
        requireAdmin(context);
        const previous = await rule(args.id);
        const { id, createdAtMs, updatedAtMs, ...fields } = previous;
        const saved = await writeAlertRule(store, { ...fields, enabled: args.enabled }, previous);
        deps.logger.info({ ruleId: id, enabled: args.enabled }, 'alert rule switched');
        rulesChanged();
        return ruleNode(saved);
      },
      deleteAlertRule: async (_: unknown, args: { id: string }, context: ApiContext) => {
        requireAdmin(context);
        const deleted = await deleteAlertRule(store, args.id);
        if (deleted) {
          deps.logger.info({ ruleId: args.id }, 'alert rule deleted');
          rulesChanged();
        }
        return deleted;
      },
      createAlertTarget: (_: unknown, args: { target: AlertTargetInput }, context: ApiContext) => {
        requireAdmin(context);
        return saveTarget(args.target);
      },
      updateAlertTarget: async (_: unknown, args: { id: string; target: AlertTargetInput }, context: ApiContext) => {
        requireAdmin(context);
        return saveTarget(args.target, await target(args.id));
      },
      deleteAlertTarget: async (_: unknown, args: { id: string }, context: ApiContext) => {
        requireAdmin(context);
        const naming = (await listAlertRules(store)).filter((candidate) => candidate.targetIds.includes(args.id));
        if (naming.length > 0) {
          const names = naming.map((candidate) => JSON.stringify(candidate.name)).join(', ');
          throw badInput(`the target is named by ${naming.length === 1 ? 'rule' : 'rules'} ${names}: remove it from them first`, 'id');
        }
        const deleted = await deleteAlertTarget(store, args.id);
        if (deleted) deps.logger.info({ targetId: args.id }, 'alert target deleted');
        return deleted;
      },
      ...delivery.Mutation,
    },
    Subscription: {
      alertChanged: {
        subscribe: async () => {
          const iterator = await alertsOf(deps).feed.subscribe({
            onClose: () => deps.metrics.subscriptions.dec({ field: 'alertChanged' }),
            onDrop: () => {
              deps.metrics.droppedSubscribers.inc({ field: 'alertChanged' });
              deps.logger.warn({ field: 'alertChanged' }, 'dropped a subscriber that fell behind');
            },
          });
          deps.metrics.subscriptions.inc({ field: 'alertChanged' });
          return iterator;
        },
        resolve: (payload: AlertTransition | SubscriberTooSlow) => {
          if (payload instanceof SubscriberTooSlow) throw tooSlow(payload.limit);
          return transitionNode(payload);
        },
      },
    },
    AlertRule: {
      targets: async (parent: AlertRule, _: unknown, context: ApiContext) => {
        const known = await targets(context);
        return parent.targetIds.flatMap((id) => {
          const found = known.get(id);
          return found ? [targetNode(found)] : [];
        });
      },
    },
    AlertTarget: delivery.AlertTarget,
  };
}
