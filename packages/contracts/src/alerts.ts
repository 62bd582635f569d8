// Alerts: the rules an admin sets, the targets they notify, the live state of each alert and the transitions it goes
// through, as the API stores them in Redis (redisKeys().alert*), delivers them and reporting's table keeps them. The
// API's admin mutations check what an admin sends (each bad field named, alert-validation in the API); the schemas
// here read back what was stored. docs/alerts.md describes the design.
import { z } from 'zod';

/** What a rule watches. Thresholds: `threshold` is a count, seconds or percent as each kind says. */
export const alertConditionKinds = [
  /** Calls waiting in a queue (ringing, not answered yet) > threshold (count). Subject: each queue in scope. */
  'QUEUE_WAITING',
  /** The longest wait among a queue's waiting calls > threshold (seconds). Subject: each queue in scope. */
  'LONGEST_WAIT',
  /** An agent ringing for longer than threshold (seconds). Subject: each agent in scope. */
  'AGENT_RINGING',
  /** An agent on hold for longer than threshold (seconds). Subject: each agent in scope. */
  'AGENT_ON_HOLD',
  /** Missed legs (result Missed) completed in the last windowMinutes > threshold (count). Subject: the scope. */
  'MISSED_CALLS',
  /** Abandoned calls (caller hung up in a queue) in the last windowMinutes > threshold (count). Subject: the scope. */
  'ABANDONED_CALLS',
  /** Service level over the last windowMinutes < threshold (percent, 0-100). Subject: the scope. */
  'SERVICE_LEVEL',
  /** No telephony event received for threshold (seconds) while inside business hours. Subject: `pipeline`. */
  'NO_EVENTS',
  /** Events applied more than threshold (seconds) after their eventTime. Subject: `pipeline`. */
  'EVENTS_LATE',
] as const;
export type AlertConditionKind = (typeof alertConditionKinds)[number];

/** Conditions whose subject is the pipeline itself: their scope must be ALL. */
export const pipelineConditionKinds: readonly AlertConditionKind[] = ['NO_EVENTS', 'EVENTS_LATE'];
/** Conditions that count over a window: windowMinutes is required (1-120). */
export const windowedConditionKinds: readonly AlertConditionKind[] = ['MISSED_CALLS', 'ABANDONED_CALLS', 'SERVICE_LEVEL'];

export const alertScopeKinds = ['ALL', 'QUEUE', 'EXTENSIONS'] as const;
export type AlertScopeKind = (typeof alertScopeKinds)[number];

export const alertScopeSchema = z.object({
  kind: z.enum(alertScopeKinds),
  /** QUEUE: the queue's extension id. */
  queueId: z.string().nullable().default(null),
  /** EXTENSIONS: the agents' extension ids (1-1000). */
  extensionIds: z.array(z.string()).default([]),
});
export type AlertScope = z.infer<typeof alertScopeSchema>;

export const alertConditionSchema = z.object({
  kind: z.enum(alertConditionKinds),
  threshold: z.number(),
  /** Windowed conditions only (windowedConditionKinds): the window in minutes. */
  windowMinutes: z.number().int().nullable().default(null),
});
export type AlertCondition = z.infer<typeof alertConditionSchema>;

export const alertSeverities = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

export const alertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  severity: z.enum(alertSeverities).default('WARNING'),
  scope: alertScopeSchema,
  condition: alertConditionSchema,
  /** How long the condition must hold before the alert fires (seconds, 0 = at once). */
  forSeconds: z.number().int().nonnegative(),
  /** Ids of the targets notified of each transition. */
  targetIds: z.array(z.string()),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** WEBHOOK: callpulse's JSON body (AlertTransition); SLACK: a Slack incoming-webhook body ({ text, blocks }). */
export const alertTargetKinds = ['WEBHOOK', 'SLACK'] as const;
export type AlertTargetKind = (typeof alertTargetKinds)[number];

export const alertTargetSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(alertTargetKinds),
  /** http(s) URL the transitions are POSTed to. */
  url: z.string(),
  /** HMAC-SHA256 key of the signature header; never returned by the API (it says only whether one is set). */
  secret: z.string().nullable().default(null),
  enabled: z.boolean().default(true),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
});
export type AlertTarget = z.infer<typeof alertTargetSchema>;

export const alertStatuses = ['FIRING', 'RESOLVED'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/**
 * One change of one alert (a rule on one subject): it fired or it resolved. The unit of delivery: each transition is
 * committed once (a compare-and-set in Redis with its outbox entry), delivered to each of its targets in order, and
 * kept in ClickHouse (alert_transitions, keyed by id).
 */
export const alertTransitionSchema = z.object({
  /** `${ruleId}:${subject}:${seq}`: unique, the receivers' idempotency key. */
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: z.enum(alertSeverities),
  conditionKind: z.enum(alertConditionKinds),
  /** What the alert is about: a queue id, an extension id, `all` or `pipeline`. */
  subject: z.string(),
  /** A readable name of the subject (queue or agent name), or null. */
  subjectName: z.string().nullable(),
  status: z.enum(alertStatuses),
  /** 1 for the first firing of this rule on this subject, +1 each transition after. */
  seq: z.number().int().positive(),
  /** The measured value when it changed (count, seconds or percent, as the condition) and the threshold. */
  value: z.number().nullable(),
  threshold: z.number(),
  /** When the condition started holding (FIRING) or stopped holding (RESOLVED), epoch ms. */
  atMs: z.number(),
  /** For RESOLVED: when it fired. */
  firedAtMs: z.number().nullable(),
  /** A sentence for people: "Queue Support: 7 calls waiting (threshold 5) for 30 s". */
  summary: z.string(),
  /** Ids of the targets this transition goes to (the rule's targets when it was committed). */
  targetIds: z.array(z.string()),
});
export type AlertTransition = z.infer<typeof alertTransitionSchema>;

/** The current state of one alert (rule x subject), kept in Redis (redisKeys().alertStates, field `${ruleId}|${subject}`). */
export const alertInstanceSchema = z.object({
  ruleId: z.string(),
  subject: z.string(),
  status: z.enum(alertStatuses),
  seq: z.number().int().nonnegative(),
  /** The last transition (FIRING: since when it fires). */
  lastTransition: alertTransitionSchema.nullable(),
});
export type AlertInstance = z.infer<typeof alertInstanceSchema>;

/** Field of an alert in redisKeys().alertStates. */
export function alertInstanceField(ruleId: string, subject: string): string {
  return `${ruleId}|${subject}`;
}

/** Delivery of transitions to one target, kept in Redis (redisKeys().alertDelivery(targetId)). */
export interface AlertDeliveryState {
  /** The outbox stream id of the last transition delivered (or skipped as not for this target). */
  cursor: string;
  /** Consecutive failed attempts of the transition at the cursor's next entry. */
  failures: number;
  /** true after 3 consecutive failures, until a delivery succeeds. */
  failing: boolean;
  lastError: string | null;
  lastAttemptAtMs: number | null;
  lastSuccessAtMs: number | null;
}

/** The pipeline's pulse, written by call-state as it applies events (redisKeys().pipelinePulse, a hash). */
export interface PipelinePulse {
  /** Field `lastEventAtMs`: when the latest telephony event was received by ingest (its receivedAt header), epoch ms. */
  lastEventAtMs: number | null;
  /** Fields `lag:<worker>`: JSON { lagMs, atMs }: the largest (apply time - eventTime) of the worker's last batch. */
  lagMs: number | null;
}

/** Signature headers of a webhook delivery: HMAC-SHA256(secret, `${timestamp}.${body}`) as hex, `sha256=` prefixed. */
export const alertWebhookHeaders = {
  signature: 'x-callpulse-signature',
  timestamp: 'x-callpulse-timestamp',
  /** The transition id: receivers drop a repeat (delivery is at least once). */
  delivery: 'x-callpulse-delivery',
} as const;
