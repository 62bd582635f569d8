// What the dashboard reads of alerts: the alerts firing now (their states in Redis) and the recent transitions (the
// outbox stream, newest first).
import { type AlertTransition, alertInstanceSchema, alertTransitionSchema, type RedisKeys } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';

/** Outbox entries read at most to find `first` transitions of one rule. */
const MAX_SCANNED = 20_000;
const CHUNK = 1000;

/** The FIRING transition of each alert firing now, newest first. */
export async function readActiveAlerts(redis: Redis, keys: RedisKeys): Promise<AlertTransition[]> {
  const out: AlertTransition[] = [];
  for (const json of await redis.hvals(keys.alertStates)) {
    try {
      const state = alertInstanceSchema.parse(JSON.parse(json));
      if (state.status === 'FIRING' && state.lastTransition) out.push(state.lastTransition);
    } catch {
      // a state that does not read is no alert to show
    }
  }
  return out.sort((a, b) => b.atMs - a.atMs || a.id.localeCompare(b.id));
}

/** The transition of an outbox entry (field `t`), or undefined when it does not read. */
export function transitionOfEntry(fields: readonly string[]): AlertTransition | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 't') continue;
    try {
      return alertTransitionSchema.parse(JSON.parse(fields[i + 1] ?? ''));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The latest `first` transitions (of one rule when ruleId is given), newest first. */
export async function readAlertHistory(redis: Redis, keys: RedisKeys, first: number, ruleId: string | null): Promise<AlertTransition[]> {
  const out: AlertTransition[] = [];
  let end = '+';
  let scanned = 0;
  while (out.length < first && scanned < MAX_SCANNED) {
    const count = ruleId === null ? first - out.length : CHUNK;
    const entries = (await redis.xrevrange(keys.alertOutbox, end, '-', 'COUNT', count)) as Array<[string, string[]]>;
    for (const [, fields] of entries) {
      const transition = transitionOfEntry(fields);
      if (transition && (ruleId === null || transition.ruleId === ruleId)) out.push(transition);
      if (out.length >= first) break;
    }
    scanned += entries.length;
    const last = entries[entries.length - 1];
    if (!last || entries.length < count) break;
    end = `(${last[0]}`;
  }
  return out;
}
