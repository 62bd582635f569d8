// The schema of alerts (docs/alerts.md): rules and targets an admin manages, the alerts firing now, the recent
// transitions and the alertChanged subscription. Added to type-defs.ts. Times are DateTime: ISO-8601 text in UTC.
export const alertTypeDefs = /* GraphQL */ `
  "An instant as ISO-8601 text in UTC (2026-03-02T09:15:00.000Z)."
  scalar DateTime

  "What a rule watches (docs/alerts.md, Conditions): threshold is a count, seconds or percent as the kind says."
  enum AlertConditionKind {
    "Calls waiting in a queue > threshold (count). Subject: each queue in scope."
    QUEUE_WAITING
    "The longest wait among a queue's waiting calls > threshold (seconds). Subject: each queue in scope."
    LONGEST_WAIT
    "An agent ringing for longer than threshold (seconds). Subject: each agent in scope."
    AGENT_RINGING
    "An agent on hold for longer than threshold (seconds). Subject: each agent in scope."
    AGENT_ON_HOLD
    "Missed legs completed in the last windowMinutes > threshold (count). Subject: the scope."
    MISSED_CALLS
    "Calls whose caller hung up while a queue rang, in the last windowMinutes > threshold (count). Subject: the scope."
    ABANDONED_CALLS
    "Calls answered within the service level over the last windowMinutes < threshold (percent, 0-100). Subject: the scope."
    SERVICE_LEVEL
    "No telephony event received for threshold (seconds) inside business hours. Subject: pipeline. Scope ALL."
    NO_EVENTS
    "Events applied more than threshold (seconds) after their eventTime. Subject: pipeline. Scope ALL."
    EVENTS_LATE
  }

  enum AlertScopeKind {
    ALL
    QUEUE
    EXTENSIONS
  }

  enum AlertSeverity {
    INFO
    WARNING
    CRITICAL
  }

  enum AlertStatus {
    FIRING
    RESOLVED
  }

  "WEBHOOK: callpulse's JSON body (an AlertTransition); SLACK: a Slack incoming-webhook body."
  enum AlertTargetKind {
    WEBHOOK
    SLACK
  }

  "What a rule applies to: everything, one queue, or a set of agents."
  type AlertScope {
    kind: AlertScopeKind!
    "QUEUE: the queue's extension id."
    queueId: ID
    "EXTENSIONS: the agents' extension ids."
    extensionIds: [ID!]!
  }

  type AlertCondition {
    kind: AlertConditionKind!
    threshold: Float!
    "MISSED_CALLS, ABANDONED_CALLS and SERVICE_LEVEL: the window in minutes; null otherwise."
    windowMinutes: Int
  }

  type AlertRule {
    id: ID!
    name: String!
    enabled: Boolean!
    severity: AlertSeverity!
    scope: AlertScope!
    condition: AlertCondition!
    "How long the condition must hold before the alert fires (seconds, 0 = at once)."
    forSeconds: Int!
    "The targets notified of each transition."
    targets: [AlertTarget!]!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "Where transitions are POSTed. The secret is write-only: hasSecret says whether one is set."
  type AlertTarget {
    id: ID!
    name: String!
    kind: AlertTargetKind!
    url: String!
    hasSecret: Boolean!
    enabled: Boolean!
    "How delivery to this target goes."
    delivery: AlertDelivery!
  }

  type AlertDelivery {
    "true after 3 consecutive failed attempts, until a delivery succeeds."
    failing: Boolean!
    "Consecutive failed attempts of the next transition."
    failures: Int!
    lastError: String
    lastAttemptAt: DateTime
    lastSuccessAt: DateTime
    "Transitions for this target not delivered yet."
    pending: Int!
  }

  "One change of one alert (a rule on one subject): it fired or it resolved."
  type AlertTransition {
    "ruleId:subject:seq, the receivers' idempotency key."
    id: ID!
    ruleId: ID!
    ruleName: String!
    severity: AlertSeverity!
    conditionKind: AlertConditionKind!
    "A queue id, an extension id, all, extensions (a windowed rule over a set of agents) or pipeline."
    subject: String!
    "The queue's or agent's name, when known."
    subjectName: String
    status: AlertStatus!
    "1 for the first firing of this rule on this subject, +1 each transition after."
    seq: Int!
    "The measured value when it changed (count, seconds or percent)."
    value: Float
    threshold: Float!
    "When the condition started holding (FIRING) or stopped holding (RESOLVED)."
    at: DateTime!
    "For RESOLVED: when it fired."
    firedAt: DateTime
    "A sentence for people."
    summary: String!
  }

  input AlertScopeInput {
    kind: AlertScopeKind!
    queueId: ID
    extensionIds: [ID!]
  }

  input AlertConditionInput {
    kind: AlertConditionKind!
    threshold: Float!
    windowMinutes: Int
  }

  input AlertRuleInput {
    name: String!
    enabled: Boolean = true
    severity: AlertSeverity = WARNING
    scope: AlertScopeInput!
    condition: AlertConditionInput!
    forSeconds: Int = 0
    targetIds: [ID!] = []
  }

  input AlertTargetInput {
    name: String!
    kind: AlertTargetKind!
    url: String!
    "HMAC-SHA256 key of the signature header; omitted on update: the stored one is kept."
    secret: String
    enabled: Boolean = true
  }

  extend type Query {
    "Every alert rule (admin)."
    alertRules: [AlertRule!]!
    "Every alert target (admin)."
    alertTargets: [AlertTarget!]!
    "The FIRING transition of each alert firing now, newest first."
    activeAlerts: [AlertTransition!]!
    "Recent transitions (the outbox), newest first; of one rule when ruleId is given."
    alertHistory(first: Int = 100, ruleId: ID): [AlertTransition!]!
  }

  extend type Mutation {
    createAlertRule(rule: AlertRuleInput!): AlertRule!
    updateAlertRule(id: ID!, rule: AlertRuleInput!): AlertRule!
    setAlertRuleEnabled(id: ID!, enabled: Boolean!): AlertRule!
    "A firing alert of a deleted (or disabled) rule resolves: one transition."
    deleteAlertRule(id: ID!): Boolean!
    createAlertTarget(target: AlertTargetInput!): AlertTarget!
    "The secret omitted: the stored one is kept."
    updateAlertTarget(id: ID!, target: AlertTargetInput!): AlertTarget!
    "Refused while a rule names the target (the error names the rules)."
    deleteAlertTarget(id: ID!): Boolean!
    "Sends a test body now (not a transition); true when the receiver answered 2xx."
    testAlertTarget(id: ID!): Boolean!
  }

  extend type Subscription {
    "Each alert transition as committed."
    alertChanged: AlertTransition!
  }
`;
