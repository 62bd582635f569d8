// The call-state service's Prometheus metrics.
import { Counter, Gauge, Histogram, type Registry } from '@callpulse/platform';

export function createCallStateMetrics(registry: Registry) {
  return {
    events: new Counter({
      name: 'callpulse_call_state_events_total',
      help: 'Party events by outcome (applied, duplicate, closed: after the retention window, invalid)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    applies: new Counter({
      name: 'callpulse_call_state_applies_total',
      help: 'Session applies that wrote new events (one save each): applied events / applies is the events per apply',
      registers: [registry],
    }),
    cacheReads: new Counter({
      name: 'callpulse_call_state_cache_reads_total',
      help: 'Session look-ups before an apply, by result: hit (the session cache held it) or miss (read from Redis and folded again)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    eventsPerApply: new Histogram({
      name: 'callpulse_call_state_events_per_apply',
      help: 'New events written by one session apply',
      buckets: [1, 2, 5, 10, 20, 50, 100],
      registers: [registry],
    }),
    sessionApplySeconds: new Histogram({
      name: 'callpulse_call_state_session_apply_seconds',
      help: 'Time to apply the events of one session from a chunk of a Kafka batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    liveDelay: new Histogram({
      name: 'callpulse_call_state_live_delay_seconds',
      help: "From ingest's receipt of a webhook (its callpulse-received-at header) to call-state having applied it: saved, and the live board and its messages written (the live path supervisors watch), for the webhooks of each apply that changed its session: one that changes nothing (a redelivery, a replay after a rebalance) is not counted",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    recordsEmitted: new Counter({
      name: 'callpulse_call_state_records_emitted_total',
      help: 'Completed records produced, by kind and whether they amend an earlier version',
      labelNames: ['kind', 'amended'] as const,
      registers: [registry],
    }),
    recordsFoundEmitted: new Counter({
      name: 'callpulse_call_state_records_found_emitted_total',
      help: 'Owed records another emitter recorded after this one read the session (a lease ran out): not sent again',
      registers: [registry],
    }),
    emissionsHeld: new Counter({
      name: 'callpulse_call_state_emissions_held_total',
      help: 'Due sessions whose records need the grace, put back because the emission gate was closed (a worker silent, leaving, not fetching or behind)',
      registers: [registry],
    }),
    emissionsNotYetDue: new Counter({
      name: 'callpulse_call_state_emissions_not_yet_due_total',
      help: "Claimed sessions put back because their current state falls due later (an earlier change's entry came first)",
      registers: [registry],
    }),
    legEmitDelay: new Histogram({
      name: 'callpulse_call_state_leg_emit_delay_seconds',
      help: "From a leg's end (end time of its record: the eventTime that ended it) to its first record acknowledged by Kafka",
      buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    sessionsReaped: new Counter({
      name: 'callpulse_call_state_sessions_reaped_total',
      help: 'Sessions whose open legs were ended as Unknown / Timeout',
      registers: [registry],
    }),
    boardLegsSwept: new Counter({
      name: 'callpulse_call_state_board_legs_swept_total',
      help: "Legs taken off the live board because their session's events were gone from Redis (call-state away longer than a session is kept)",
      registers: [registry],
    }),
    pendingEmissions: new Gauge({
      name: 'callpulse_call_state_pending_emissions',
      help: 'Sessions with completed records waiting for their grace period',
      registers: [registry],
    }),
    writeConflicts: new Counter({
      name: 'callpulse_call_state_write_conflicts_total',
      help: 'Session writes refused because another writer changed the session first (redone from a fresh read)',
      registers: [registry],
    }),
    boardRepairs: new Counter({
      name: 'callpulse_call_state_board_repairs_total',
      help: 'Sessions whose live-board entries were rewritten from their current state (after a crash or a concurrent writer)',
      registers: [registry],
    }),
    consumerRestarts: new Counter({
      name: 'callpulse_call_state_consumer_restarts_total',
      help: 'Kafka consumers recreated after kafkajs gave up on one (e.g. the group coordinator was gone during a Kafka restart)',
      registers: [registry],
    }),
    rebalances: new Counter({
      name: 'callpulse_call_state_rebalances_total',
      help: 'Consumer group joins',
      registers: [registry],
    }),
  };
}

export type CallStateMetrics = ReturnType<typeof createCallStateMetrics>;
