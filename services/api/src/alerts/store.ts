// Alert rules and targets in Redis (redisKeys().alertRules / alertTargets: one hash each, id -> JSON), read back with
// the contracts' schemas. A stored value that no longer reads is skipped and logged, never fatal.
import { randomUUID } from 'node:crypto';
import { type AlertRule, type AlertTarget, alertRuleSchema, alertTargetSchema, type RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import type { RuleFields, TargetFields } from './validation.js';

export interface AlertStoreDeps {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
}

function parseAll<T>(values: Record<string, string>, schema: { parse: (value: unknown) => T }, what: string, logger: Logger): T[] {
  const out: T[] = [];
  for (const [id, json] of Object.entries(values)) {
    try {
      out.push(schema.parse(JSON.parse(json)));
    } catch (err) {
      logger.error({ err: (err as Error).message, id }, `a stored alert ${what} does not read; skipped`);
    }
  }
  return out;
}

const byCreation = <T extends { createdAtMs: number; id: string }>(a: T, b: T) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id);

export async function listAlertRules({ redis, keys, logger }: AlertStoreDeps): Promise<AlertRule[]> {
  return parseAll(await redis.hgetall(keys.alertRules), alertRuleSchema, 'rule', logger).sort(byCreation);
}

export async function listAlertTargets({ redis, keys, logger }: AlertStoreDeps): Promise<AlertTarget[]> {
  return parseAll(await redis.hgetall(keys.alertTargets), alertTargetSchema, 'target', logger).sort(byCreation);
}

export async function readAlertRule({ redis, keys }: AlertStoreDeps, id: string): Promise<AlertRule | null> {
  const json = await redis.hget(keys.alertRules, id);
  return json === null ? null : alertRuleSchema.parse(JSON.parse(json));
}

export async function readAlertTarget({ redis, keys }: AlertStoreDeps, id: string): Promise<AlertTarget | null> {
  const json = await redis.hget(keys.alertTargets, id);
  return json === null ? null : alertTargetSchema.parse(JSON.parse(json));
}

export async function countAlertRules({ redis, keys }: AlertStoreDeps): Promise<number> {
  return redis.hlen(keys.alertRules);
}

export async function countAlertTargets({ redis, keys }: AlertStoreDeps): Promise<number> {
  return redis.hlen(keys.alertTargets);
}

/** Stores a new rule (id `r-<uuid>`) or replaces `previous`'s fields (its id and creation time kept). */
export async function writeAlertRule(
  deps: AlertStoreDeps,
  fields: RuleFields,
  previous?: AlertRule,
  nowMs = Date.now(),
): Promise<AlertRule> {
  const rule: AlertRule = {
    ...fields,
    id: previous?.id ?? `r-${randomUUID()}`,
    createdAtMs: previous?.createdAtMs ?? nowMs,
    updatedAtMs: nowMs,
  };
  await deps.redis.hset(deps.keys.alertRules, rule.id, JSON.stringify(rule));
  return rule;
}

/** Stores a new target (id `t-<uuid>`) or replaces `previous` (a secret left undefined keeps the stored one). */
export async function writeAlertTarget(
  deps: AlertStoreDeps,
  fields: TargetFields,
  previous?: AlertTarget,
  nowMs = Date.now(),
): Promise<AlertTarget> {
  const target: AlertTarget = {
    ...fields,
    secret: fields.secret === undefined ? (previous?.secret ?? null) : fields.secret,
    id: previous?.id ?? `t-${randomUUID()}`,
    createdAtMs: previous?.createdAtMs ?? nowMs,
    updatedAtMs: nowMs,
  };
  await deps.redis.hset(deps.keys.alertTargets, target.id, JSON.stringify(target));
  return target;
}

export async function deleteAlertRule({ redis, keys }: AlertStoreDeps, id: string): Promise<boolean> {
  return (await redis.hdel(keys.alertRules, id)) > 0;
}

export async function deleteAlertTarget({ redis, keys }: AlertStoreDeps, id: string): Promise<boolean> {
  return (await redis.hdel(keys.alertTargets, id)) > 0;
}
