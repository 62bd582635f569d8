// Redis key and channel names shared by the services. Keys of one telephony session share the hash tag
// {telephonySessionId}, so a Redis Cluster keeps them in one slot and one Lua script can change them together.

export function redisKeys(prefix = 'cp:') {
  const session = (telephonySessionId: string) => `${prefix}session:{${telephonySessionId}}`;
  return {
    prefix,
    /** Hash: `${sequence}:${partyId}` -> normalised party event (JSON). Dedupes redeliveries. */
    sessionEvents: (telephonySessionId: string) => `${session(telephonySessionId)}:events`,
    /**
     * Hash: the session's revision (`rev`), the revision the live board holds (`board`), the last write's time
     * (`touchedAtMs`), and per leg or summary what was emitted (`emit:<key>`), its version counter (`ver:<key>`) and
     * the record being sent (`sending:<key>`).
     */
    sessionMeta: (telephonySessionId: string) => `${session(telephonySessionId)}:meta`,
    /** Hash: `${telephonySessionId}:${partyId}` -> leg snapshot (JSON) of each active leg of an extension. */
    extensionActiveLegs: (extensionId: string) => `${prefix}ext:{${extensionId}}:active`,
    /** Counter: bumped by every change of the extension's active legs, so agent-state writes apply in order. */
    extensionLiveVersion: (extensionId: string) => `${prefix}ext:{${extensionId}}:live-version`,
    /** Hash: counter name -> value, today's counters of an extension (UTC day in the key). */
    extensionDayCounters: (extensionId: string, day: string) => `${prefix}ext:{${extensionId}}:day:${day}`,
    /** Hash: extensionId -> the monitored agent's live state (idle, ringing, talking, onHold, voicemail). */
    agentStates: `${prefix}live:{agents}:states`,
    /** Hash: extensionId -> the live version (extensionLiveVersion) that agentStates holds the state of. */
    agentStateVersions: `${prefix}live:{agents}:versions`,
    /** String (TTL): marks a session closed after its retention window, so a very late event is noticed, not folded alone. */
    sessionClosed: (telephonySessionId: string) => `${session(telephonySessionId)}:closed`,
    /** Sorted set: telephonySessionId scored by the last event's arrival (ms), for the reaper. */
    sessionsByLastSeen: `${prefix}sessions:last-seen`,
    /** Sorted set: `${telephonySessionId}` scored by the time its pending emission is due (ms). */
    pendingEmissions: `${prefix}sessions:pending-emit`,
    /** Hash: call-state worker -> its emission gate entry (JSON: when it wrote and fetched, joined, how far behind). */
    emissionGate: `${prefix}emit-gate`,
    /** Hash: extensionId -> extension record (JSON) of the account's directory. */
    extensions: `${prefix}directory:extensions`,
    /** Set: ids of monitored extensions. */
    monitoredExtensions: `${prefix}directory:monitored`,
    /** Hash: directory metadata (last sync time, count, whether the monitored set was chosen by an admin). */
    directoryMeta: `${prefix}directory:meta`,
    /** String lock held by the one worker reaping stale legs. */
    reaperLock: `${prefix}lock:reaper`,
    /** String lock held by the one ingest instance managing the RingCentral subscription. */
    subscriptionLock: `${prefix}lock:subscription`,
    /** Hash: this deployment's RingCentral subscription (id, status, expiry). */
    subscription: `${prefix}rc:subscription`,
    /** String: the account's business hours (JSON, business-hours.ts), set by an admin through the API. */
    businessHours: `${prefix}config:business-hours`,
    // Alerts (alerts.ts, docs/alerts.md). The keys one commit script changes together share the hash tag {alerts}.
    /** Hash: ruleId -> alert rule (JSON, alertRuleSchema). */
    alertRules: `${prefix}{alerts}:rules`,
    /** Hash: targetId -> alert target (JSON, alertTargetSchema, with its secret). */
    alertTargets: `${prefix}{alerts}:targets`,
    /** Hash: `${ruleId}|${subject}` (alertInstanceField) -> the alert's state (JSON, alertInstanceSchema). */
    alertStates: `${prefix}{alerts}:states`,
    /** Stream: the outbox, one entry per committed transition (field `t`: AlertTransition JSON), read by delivery. */
    alertOutbox: `${prefix}{alerts}:outbox`,
    /** Hash: a target's delivery state (AlertDeliveryState). */
    alertDelivery: (targetId: string) => `${prefix}{alerts}:delivery:${targetId}`,
    /** String: the outbox stream id of the last transition written to ClickHouse's alert_transitions (delivery's sink). */
    alertClickHouseCursor: `${prefix}{alerts}:clickhouse-cursor`,
    /** String lock held by the one API instance evaluating the rules. */
    alertEvaluatorLock: `${prefix}lock:alert-evaluator`,
    /** String lock held by the one API instance delivering transitions. */
    alertDeliveryLock: `${prefix}lock:alert-delivery`,
    /** Hash: the pipeline's pulse (PipelinePulse), written by call-state as it applies events. */
    pipelinePulse: `${prefix}pipeline:pulse`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Pub/sub channels carrying live changes (see README, "Live updates"). */
export function redisChannels(prefix = 'cp:') {
  return {
    /** A leg's new snapshot, on the channel of its extension. */
    legChanged: (extensionId: string) => `${prefix}live:leg:${extensionId}`,
    /** Pattern matching every legChanged channel. */
    legChangedPattern: `${prefix}live:leg:*`,
    /** A completed-leg record, after it was produced to the completed-calls topic. */
    legCompleted: (extensionId: string) => `${prefix}live:completed:${extensionId}`,
    legCompletedPattern: `${prefix}live:completed:*`,
    /** The monitored agents' summary changed. */
    summaryChanged: `${prefix}live:summary`,
    /** The monitored set or the directory changed. */
    directoryChanged: `${prefix}live:directory`,
    /** Admin commands for the ingest instance that holds the RingCentral login: JSON {id, command}. */
    adminCommands: `${prefix}admin:commands`,
    /** The answer to admin command `id`: JSON {id, ok, result?, error?}. */
    adminReply: (id: string) => `${prefix}admin:reply:${id}`,
    /** An alert transition (AlertTransition JSON), published by the script that commits it. */
    alertChanged: `${prefix}alerts:changed`,
  };
}

export type RedisChannels = ReturnType<typeof redisChannels>;
