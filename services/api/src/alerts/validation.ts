// Checks the alert rules and targets an admin sends (pure): each bad field named with its place
// (`condition.windowMinutes: required for MISSED_CALLS (1-120)`), every problem at once; what passes is the value stored.
// The limits are docs/alerts.md's Validation.
import {
  type AlertConditionKind,
  type AlertRule,
  type AlertScopeKind,
  type AlertSeverity,
  type AlertTarget,
  type AlertTargetKind,
  pipelineConditionKinds,
  windowedConditionKinds,
} from '@callpulse/contracts';

export const MAX_ALERT_RULES = 1000;
export const MAX_ALERT_TARGETS = 100;
export const MAX_SCOPE_EXTENSIONS = 1000;
export const MAX_FOR_SECONDS = 86_400;
export const MAX_WINDOW_MINUTES = 120;
export const MAX_NAME_CHARS = 100;
export const MAX_URL_CHARS = 2000;
export const MAX_SECRET_CHARS = 500;

/** Queue conditions: their subjects are queues, so a scope of agents makes no sense for them. */
export const queueConditionKinds: readonly AlertConditionKind[] = ['QUEUE_WAITING', 'LONGEST_WAIT'];

export interface AlertRuleInput {
  name: string;
  enabled?: boolean | null;
  severity?: AlertSeverity | null;
  scope: { kind: AlertScopeKind; queueId?: string | null; extensionIds?: readonly string[] | null };
  condition: { kind: AlertConditionKind; threshold: number; windowMinutes?: number | null };
  forSeconds?: number | null;
  targetIds?: readonly string[] | null;
}

export interface AlertTargetInput {
  name: string;
  kind: AlertTargetKind;
  url: string;
  secret?: string | null;
  enabled?: boolean | null;
}

export interface Problem {
  /** The field at fault, e.g. `condition.threshold` or `scope.extensionIds[3]`. */
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** A rule as stored, without its id and times. */
export type RuleFields = Omit<AlertRule, 'id' | 'createdAtMs' | 'updatedAtMs'>;
/** A target as stored, without its id and times (secret: null = none; undefined on update = keep the stored one). */
export type TargetFields = Omit<AlertTarget, 'id' | 'createdAtMs' | 'updatedAtMs' | 'secret'> & { secret: string | null | undefined };

/** "a: message; b: message" for an error text. */
export function problemsText(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

function checkName(name: string, problems: Problem[]): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_NAME_CHARS) {
    problems.push({ field: 'name', message: `1-${MAX_NAME_CHARS} characters, got ${trimmed.length}` });
  }
  return trimmed;
}

const wholeInRange = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/**
 * The rule to store, or every problem. `targetIds`: the targets that exist; `ruleCount`: how many rules exist besides
 * this one (so creating the 1,001st is refused).
 */
export function checkAlertRule(input: AlertRuleInput, known: { targetIds: ReadonlySet<string>; ruleCount: number }): Checked<RuleFields> {
  const problems: Problem[] = [];
  const name = checkName(input.name, problems);
  const { kind, threshold } = input.condition;
  if (!Number.isFinite(threshold) || threshold < 0) {
    problems.push({ field: 'condition.threshold', message: `a finite number >= 0, got ${threshold}` });
  } else if (kind === 'SERVICE_LEVEL' && threshold > 100) {
    problems.push({ field: 'condition.threshold', message: `a percent for SERVICE_LEVEL (0-100), got ${threshold}` });
  }
  const windowed = windowedConditionKinds.includes(kind);
  const windowMinutes = input.condition.windowMinutes ?? null;
  if (windowed && (windowMinutes === null || !wholeInRange(windowMinutes, 1, MAX_WINDOW_MINUTES))) {
    problems.push({
      field: 'condition.windowMinutes',
      message: `${windowMinutes === null ? 'required' : `got ${windowMinutes}, must be a whole number`} for ${kind} (1-${MAX_WINDOW_MINUTES})`,
    });
  } else if (!windowed && windowMinutes !== null) {
    problems.push({ field: 'condition.windowMinutes', message: `only for ${windowedConditionKinds.join(', ')}; leave it out for ${kind}` });
  }
  const forSeconds = input.forSeconds ?? 0;
  if (!wholeInRange(forSeconds, 0, MAX_FOR_SECONDS)) {
    problems.push({ field: 'forSeconds', message: `a whole number of seconds 0-${MAX_FOR_SECONDS}, got ${forSeconds}` });
  }
  const scopeKind = input.scope.kind;
  const queueId = input.scope.queueId?.trim() || null;
  const extensionIds = [...new Set((input.scope.extensionIds ?? []).map((id) => id.trim()))];
  if (scopeKind === 'QUEUE' && queueId === null) problems.push({ field: 'scope.queueId', message: 'required for scope QUEUE' });
  if (scopeKind !== 'QUEUE' && queueId !== null) problems.push({ field: 'scope.queueId', message: 'only for scope QUEUE' });
  if (scopeKind === 'EXTENSIONS') {
    if (extensionIds.length < 1 || extensionIds.length > MAX_SCOPE_EXTENSIONS) {
      problems.push({
        field: 'scope.extensionIds',
        message: `1-${MAX_SCOPE_EXTENSIONS} extension ids for scope EXTENSIONS, got ${extensionIds.length}`,
      });
    }
    const blank = extensionIds.indexOf('');
    if (blank >= 0) problems.push({ field: `scope.extensionIds[${blank}]`, message: 'an empty id' });
  } else if (extensionIds.length > 0) {
    problems.push({ field: 'scope.extensionIds', message: 'only for scope EXTENSIONS' });
  }
  if (pipelineConditionKinds.includes(kind) && scopeKind !== 'ALL') {
    problems.push({ field: 'scope.kind', message: `${kind} watches the pipeline itself: scope ALL` });
  }
  if (queueConditionKinds.includes(kind) && scopeKind === 'EXTENSIONS') {
    problems.push({ field: 'scope.kind', message: `${kind} watches queues: scope ALL or QUEUE` });
  }
  const targetIds = [...new Set(input.targetIds ?? [])];
  targetIds.forEach((id, index) => {
    if (!known.targetIds.has(id))
      problems.push({ field: `targetIds[${index}]`, message: `no alert target ${JSON.stringify(id.slice(0, 60))}` });
  });
  if (known.ruleCount >= MAX_ALERT_RULES) problems.push({ field: 'rule', message: `at most ${MAX_ALERT_RULES} alert rules` });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name,
      enabled: input.enabled ?? true,
      severity: input.severity ?? 'WARNING',
      scope: { kind: scopeKind, queueId, extensionIds: scopeKind === 'EXTENSIONS' ? extensionIds : [] },
      condition: { kind, threshold, windowMinutes: windowed ? windowMinutes : null },
      forSeconds,
      targetIds,
    },
  };
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The target to store, or every problem. `allowHttp`: API_ALLOW_HTTP lets http go beyond loopback. */
export function checkAlertTarget(input: AlertTargetInput, known: { targetCount: number; allowHttp: boolean }): Checked<TargetFields> {
  const problems: Problem[] = [];
  const name = checkName(input.name, problems);
  const url = input.url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    problems.push({ field: 'url', message: 'not a URL (http(s)://host/path)' });
  }
  if (url.length > MAX_URL_CHARS) problems.push({ field: 'url', message: `at most ${MAX_URL_CHARS} characters` });
  if (parsed) {
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      problems.push({ field: 'url', message: `http or https, got ${parsed.protocol.replace(/:$/, '')}` });
    } else if (parsed.hostname === '') {
      problems.push({ field: 'url', message: 'needs a host' });
    } else if (parsed.protocol === 'http:' && !known.allowHttp && !loopbackHosts.has(parsed.hostname)) {
      problems.push({
        field: 'url',
        message: 'http only to loopback (localhost, 127.0.0.1, [::1]); use https, or set API_ALERT_ALLOW_HTTP=1',
      });
    }
    if (parsed.username !== '' || parsed.password !== '') problems.push({ field: 'url', message: 'no user or password in the URL' });
  }
  const secret = input.secret === undefined ? undefined : input.secret === null || input.secret === '' ? null : input.secret;
  if (typeof secret === 'string' && secret.length > MAX_SECRET_CHARS) {
    problems.push({ field: 'secret', message: `at most ${MAX_SECRET_CHARS} characters` });
  }
  if (known.targetCount >= MAX_ALERT_TARGETS) problems.push({ field: 'target', message: `at most ${MAX_ALERT_TARGETS} alert targets` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { name, kind: input.kind, url, secret, enabled: input.enabled ?? true } };
}
