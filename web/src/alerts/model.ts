// Alerts on plain data (pure): the transitions as the API sends them, the set of firing alerts kept from a snapshot
// and the transitions after it (each alert's seq orders them, so a late or repeated message changes nothing), the
// counts by severity, what each condition kind measures, and the admin form turned into an AlertRuleInput and the
// API's validation message split by field. docs/alerts.md has the GraphQL contract.
import { duration } from '../format.js';

export type AlertSeverity = 'INFO' | 'WARNING' | 'CRITICAL';
export type AlertStatus = 'FIRING' | 'RESOLVED';
export type AlertConditionKind =
  | 'QUEUE_WAITING'
  | 'LONGEST_WAIT'
  | 'AGENT_RINGING'
  | 'AGENT_ON_HOLD'
  | 'MISSED_CALLS'
  | 'ABANDONED_CALLS'
  | 'SERVICE_LEVEL'
  | 'NO_EVENTS'
  | 'EVENTS_LATE';
export type AlertScopeKind = 'ALL' | 'QUEUE' | 'EXTENSIONS';

export interface AlertTransition {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: AlertSeverity;
  conditionKind: AlertConditionKind;
  subject: string;
  subjectName: string | null;
  status: AlertStatus;
  seq: number;
  value: number | null;
  threshold: number;
  at: string;
  firedAt: string | null;
  summary: string;
}

export const transitionFields =
  'id ruleId ruleName severity conditionKind subject subjectName status seq value threshold at firedAt summary';

export const severities: AlertSeverity[] = ['CRITICAL', 'WARNING', 'INFO'];
export const severityLabels: Record<AlertSeverity, string> = { CRITICAL: 'Critical', WARNING: 'Warning', INFO: 'Info' };
const severityRank: Record<AlertSeverity, number> = { CRITICAL: 0, WARNING: 1, INFO: 2 };

/** The alert a transition belongs to: a rule on one subject. */
export function alertKey(transition: Pick<AlertTransition, 'ruleId' | 'subject'>): string {
  return `${transition.ruleId}|${transition.subject}`;
}

/** The firing alerts (their FIRING transitions, newest first) and the last seq seen of every alert. */
export interface ActiveSet {
  firing: AlertTransition[];
  seqs: Map<string, number>;
}

export function emptyActive(): ActiveSet {
  return { firing: [], seqs: new Map() };
}

const newestFirst = (a: AlertTransition, b: AlertTransition) => Date.parse(b.at) - Date.parse(a.at) || b.seq - a.seq;

/**
 * The set after a snapshot (activeAlerts, the FIRING transition of each firing alert): `known` is the seqs seen
 * before the query was sent, `since` the transitions received while it was on its way (applied again on top, so
 * neither a transition the snapshot missed nor one it already has is lost or doubled). An alert known to have moved
 * past the snapshot's seq keeps what it moved to.
 */
export function fromSnapshot(snapshot: AlertTransition[], known: Map<string, number>, since: AlertTransition[]): ActiveSet {
  const seqs = new Map(known);
  const firing: AlertTransition[] = [];
  for (const transition of snapshot) {
    const key = alertKey(transition);
    if ((seqs.get(key) ?? 0) > transition.seq) continue;
    seqs.set(key, transition.seq);
    if (transition.status === 'FIRING') firing.push(transition);
  }
  let set: ActiveSet = { firing: firing.sort(newestFirst), seqs };
  for (const transition of since) set = applyTransition(set, transition);
  return set;
}

/** The set after one transition; the same set when the alert has already gone past it (a repeat, a late message). */
export function applyTransition(set: ActiveSet, transition: AlertTransition): ActiveSet {
  const key = alertKey(transition);
  if ((set.seqs.get(key) ?? 0) >= transition.seq) return set;
  const seqs = new Map(set.seqs).set(key, transition.seq);
  const others = set.firing.filter((alert) => alertKey(alert) !== key);
  const firing = transition.status === 'FIRING' ? [transition, ...others].sort(newestFirst) : others;
  return { firing, seqs };
}

export interface AlertCounts {
  total: number;
  bySeverity: Record<AlertSeverity, number>;
  /** The most severe level firing (the banner's colour), or undefined when none fires. */
  worst: AlertSeverity | undefined;
}

export function countAlerts(firing: AlertTransition[]): AlertCounts {
  const bySeverity: Record<AlertSeverity, number> = { CRITICAL: 0, WARNING: 0, INFO: 0 };
  let worst: AlertSeverity | undefined;
  for (const alert of firing) {
    bySeverity[alert.severity] += 1;
    if (!worst || severityRank[alert.severity] < severityRank[worst]) worst = alert.severity;
  }
  return { total: firing.length, bySeverity, worst };
}

export type ThresholdUnit = 'count' | 'seconds' | 'percent';

export interface ConditionInfo {
  label: string;
  unit: ThresholdUnit;
  windowed: boolean;
  /** NO_EVENTS and EVENTS_LATE watch the pipeline: their scope is ALL. */
  pipeline: boolean;
  /** The condition in words, with the threshold's unit: "more than N calls waiting". */
  hint: string;
}

export const conditionInfo: Record<AlertConditionKind, ConditionInfo> = {
  QUEUE_WAITING: { label: 'Calls waiting in a queue', unit: 'count', windowed: false, pipeline: false, hint: 'more than N calls waiting' },
  LONGEST_WAIT: {
    label: 'Longest wait in a queue',
    unit: 'seconds',
    windowed: false,
    pipeline: false,
    hint: 'a caller waiting longer than N s',
  },
  AGENT_RINGING: { label: 'Agent ringing', unit: 'seconds', windowed: false, pipeline: false, hint: 'an agent ringing longer than N s' },
  AGENT_ON_HOLD: { label: 'Agent on hold', unit: 'seconds', windowed: false, pipeline: false, hint: 'an agent on hold longer than N s' },
  MISSED_CALLS: { label: 'Missed calls', unit: 'count', windowed: true, pipeline: false, hint: 'more than N missed in the window' },
  ABANDONED_CALLS: {
    label: 'Abandoned calls',
    unit: 'count',
    windowed: true,
    pipeline: false,
    hint: 'more than N abandoned in the window',
  },
  SERVICE_LEVEL: { label: 'Service level', unit: 'percent', windowed: true, pipeline: false, hint: 'below N % over the window' },
  NO_EVENTS: {
    label: 'No telephony events (pipeline deaf)',
    unit: 'seconds',
    windowed: false,
    pipeline: true,
    hint: 'nothing received for N s in business hours',
  },
  EVENTS_LATE: {
    label: 'Events late (pipeline behind)',
    unit: 'seconds',
    windowed: false,
    pipeline: true,
    hint: 'events applied more than N s after their time',
  },
};
export const conditionKinds = Object.keys(conditionInfo) as AlertConditionKind[];

export const unitLabels: Record<ThresholdUnit, string> = { count: 'calls', seconds: 'seconds', percent: '%' };

/** A value of the condition's unit for people: "7", "42.1 s", "2:30" (a minute or more, as the board's timers), "78 %". */
export function formatValue(kind: AlertConditionKind, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const unit = conditionInfo[kind]?.unit ?? 'count';
  const rounded = Math.round(value * 10) / 10;
  if (unit === 'seconds') return value >= 60 ? duration(value * 1000) : `${rounded} s`;
  return unit === 'percent' ? `${rounded} %` : String(rounded);
}

/** The admin form as typed (strings as in the inputs). */
export interface RuleForm {
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  scopeKind: AlertScopeKind;
  queueId: string;
  /** Extension ids, or numbers the board knows, separated by commas, spaces or new lines. */
  extensions: string;
  conditionKind: AlertConditionKind;
  threshold: string;
  windowMinutes: string;
  forSeconds: string;
  targetIds: string[];
}

export function emptyRuleForm(): RuleForm {
  return {
    name: '',
    enabled: true,
    severity: 'WARNING',
    scopeKind: 'ALL',
    queueId: '',
    extensions: '',
    conditionKind: 'QUEUE_WAITING',
    threshold: '',
    windowMinutes: '15',
    forSeconds: '0',
    targetIds: [],
  };
}

export interface AlertRuleInput {
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  scope: { kind: AlertScopeKind; queueId?: string; extensionIds?: string[] };
  condition: { kind: AlertConditionKind; threshold: number; windowMinutes?: number };
  forSeconds: number;
  targetIds: string[];
}

/** A number as typed; NaN for an empty or unreadable field, so the API names it. */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text.trim());
}

/**
 * The rule input from the form: only the fields its kinds need (a window only for windowed kinds, a queue only for
 * the QUEUE scope), extension numbers resolved to ids through `idOf`. Values are sent as typed: the API checks them.
 */
export function ruleInput(form: RuleForm, idOf: (idOrNumber: string) => string = (x) => x): AlertRuleInput {
  const info = conditionInfo[form.conditionKind];
  const scope: AlertRuleInput['scope'] = { kind: form.scopeKind };
  if (form.scopeKind === 'QUEUE') scope.queueId = form.queueId.trim();
  if (form.scopeKind === 'EXTENSIONS') {
    scope.extensionIds = [
      ...new Set(
        form.extensions
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map(idOf),
      ),
    ];
  }
  const condition: AlertRuleInput['condition'] = { kind: form.conditionKind, threshold: numberOf(form.threshold) };
  if (info.windowed) condition.windowMinutes = numberOf(form.windowMinutes);
  return {
    name: form.name.trim(),
    enabled: form.enabled,
    severity: form.severity,
    scope,
    condition,
    forSeconds: numberOf(form.forSeconds),
    targetIds: form.targetIds,
  };
}

/** A stored rule (as alertRules returns it) back in the form. */
export function formOfRule(rule: {
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  scope: { kind: AlertScopeKind; queueId: string | null; extensionIds: string[] };
  condition: { kind: AlertConditionKind; threshold: number; windowMinutes: number | null };
  forSeconds: number;
  targets: Array<{ id: string }>;
}): RuleForm {
  return {
    name: rule.name,
    enabled: rule.enabled,
    severity: rule.severity,
    scopeKind: rule.scope.kind,
    queueId: rule.scope.queueId ?? '',
    extensions: rule.scope.extensionIds.join(', '),
    conditionKind: rule.condition.kind,
    threshold: String(rule.condition.threshold),
    windowMinutes: rule.condition.windowMinutes === null ? '15' : String(rule.condition.windowMinutes),
    forSeconds: String(rule.forSeconds),
    targetIds: rule.targets.map((target) => target.id),
  };
}

/**
 * The API's validation message split by field: "condition.windowMinutes: required for MISSED_CALLS (1-120); name:
 * 1-100 characters" gives { 'condition.windowMinutes': '…', name: '…' }; a part naming no field goes under ''.
 * Field paths are as the input names them (`rule.` or `target.` prefixes dropped).
 */
export function fieldErrors(message: string): Record<string, string> {
  const errors: Record<string, string> = {};
  // GraphQL's own refusal of a variable names the field in quotes: Variable "$rule" got invalid value … at "rule.forSeconds"; …
  const coerced = /Variable "\$\w+" got invalid value .*? at "(?:rule|target|input)\.([\w.[\]]+)"; (.+)$/s.exec(message);
  if (coerced?.[1]) return { [coerced[1]]: `${coerced[1]}: ${coerced[2]}` };
  for (const part of message.split(/;\s+|\n/)) {
    const text = part.trim();
    if (!text) continue;
    const match = /^(?:(?:rule|target|input)\.)?([A-Za-z][\w]*(?:\.[A-Za-z]\w*|\[\d+\])*):\s*(.+)$/.exec(text);
    const field = match?.[1] ?? '';
    const said = match ? `${match[1]}: ${match[2]}` : text;
    errors[field] = errors[field] ? `${errors[field]}; ${said}` : said;
  }
  return errors;
}

/** The error of a field and of the fields under it (scope.extensionIds[3] under scope.extensionIds). */
export function errorFor(errors: Record<string, string>, field: string): string | undefined {
  const found = Object.entries(errors)
    .filter(([name]) => name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`))
    .map(([, text]) => text);
  return found.length ? found.join('; ') : undefined;
}

/** What the browser can tell before asking the API: numbers left empty or unreadable (GraphQL would refuse them). */
export function numberErrors(form: RuleForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const check = (field: string, text: string, integer: boolean) => {
    const value = numberOf(text);
    if (!Number.isFinite(value)) errors[field] = `${field}: a number is needed`;
    else if (integer && !Number.isInteger(value)) errors[field] = `${field}: a whole number is needed`;
  };
  check('condition.threshold', form.threshold, false);
  if (conditionInfo[form.conditionKind].windowed) check('condition.windowMinutes', form.windowMinutes, true);
  check('forSeconds', form.forSeconds, true);
  return errors;
}
