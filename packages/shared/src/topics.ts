// Kafka topic names shared by the services. A prefix (KAFKA_TOPIC_PREFIX) lets tests and tenants share a cluster.

export interface Topics {
  /** Telephony-session notifications as received, keyed by telephonySessionId. */
  telephonySessions: string;
  /** Other RingCentral notifications (extension list changes, subscription reminders), keyed by event. */
  rcEvents: string;
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
    rcEvents: `${prefix}callpulse.rc-events`,
    completedCalls: `${prefix}callpulse.completed-calls`,
    ingestDeadLetter: `${prefix}callpulse.ingest-dead-letter`,
    callStateDeadLetter: `${prefix}callpulse.call-state-dead-letter`,
    reportingDeadLetter: `${prefix}callpulse.reporting-dead-letter`,
  };
}

/** Message headers the ingest service sets on every notification. */
export const headers = {
  receivedAt: 'callpulse-received-at',
  notificationUuid: 'callpulse-notification-uuid',
  deadLetterReason: 'callpulse-dead-letter-reason',
} as const;
