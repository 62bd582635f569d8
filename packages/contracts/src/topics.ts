// Kafka topic names and message headers shared by the services, with the one dead-letter format. A prefix
// (KAFKA_TOPIC_PREFIX) lets tests and tenants share a cluster.

export interface Topics {
  /** Telephony-session notifications as received, keyed by telephonySessionId. */
  telephonySessions: string;
  /** Completed-leg and session-summary records, keyed by telephonySessionId. */
  completedCalls: string;
  /** Rejected webhook bodies with the reason, as raw bytes. */
  ingestDeadLetter: string;
  /** Kafka messages call-state could not read (not a telephony notification), with the reason. */
  callStateDeadLetter: string;
  /** Completed records ClickHouse refused, with the error. */
  reportingDeadLetter: string;
}

export function topicNames(prefix = ''): Topics {
  return {
    telephonySessions: `${prefix}callpulse.telephony-sessions`,
    completedCalls: `${prefix}callpulse.completed-calls`,
    ingestDeadLetter: `${prefix}callpulse.ingest-dead-letter`,
    callStateDeadLetter: `${prefix}callpulse.call-state-dead-letter`,
    reportingDeadLetter: `${prefix}callpulse.reporting-dead-letter`,
  };
}

/** Message headers: what ingest sets on every notification, and what every dead letter carries. */
export const headers = {
  /** Epoch ms at which ingest received the webhook (on notifications, and on dead letters where known). */
  receivedAt: 'callpulse-received-at',
  notificationUuid: 'callpulse-notification-uuid',
  /** Why the message was dead-lettered: names the field or the error, never the content. */
  deadLetterReason: 'callpulse-dead-letter-reason',
  /** Where a dead-lettered message was read from (absent for a webhook body, which was read from no topic). */
  sourceTopic: 'callpulse-source-topic',
  sourcePartition: 'callpulse-source-partition',
  sourceOffset: 'callpulse-source-offset',
} as const;

/** The most of a dead-letter reason kept in its header. */
export const DEAD_LETTER_REASON_MAX_CHARS = 2000;

export interface DeadLetterFacts {
  reason: string;
  /** The topic, partition and offset the message was read from, when it was read from one. */
  source?: { topic: string; partition: number; offset: string };
  /** When ingest received it (epoch ms as text), when known. */
  receivedAt?: string;
}

/**
 * The headers every dead letter gets on top of the message's own (the one format of the three dead-letter topics):
 * the reason, the source where the message was read from Kafka, and the receipt time where known.
 */
export function deadLetterHeaders(facts: DeadLetterFacts): Record<string, string> {
  const added: Record<string, string> = { [headers.deadLetterReason]: facts.reason.slice(0, DEAD_LETTER_REASON_MAX_CHARS) };
  if (facts.source) {
    added[headers.sourceTopic] = facts.source.topic;
    added[headers.sourcePartition] = String(facts.source.partition);
    added[headers.sourceOffset] = facts.source.offset;
  }
  if (facts.receivedAt !== undefined) added[headers.receivedAt] = facts.receivedAt;
  return added;
}
