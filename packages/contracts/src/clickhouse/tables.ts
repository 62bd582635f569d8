// The columns of the reporting tables, name and ClickHouse type, in table order: the one list the writer fills, the
// API reads and the migrations (services/reporting/migrations) create; a reporting test checks that they agree.
import { tableNames } from './names.js';

export type ClickHouseType =
  | 'String'
  | 'UInt8'
  | 'UInt32'
  | 'UInt64'
  | 'Int8'
  | 'Int64'
  | 'Float64'
  | 'Nullable(Float64)'
  | 'Array(String)'
  | 'DateTime';

/** A row as ClickHouse gives it in JSONEachRow (64-bit integers as numbers, see platform's client): DateTime is text. */
export type RowOf<C extends Record<string, ClickHouseType>> = {
  [K in keyof C]: C[K] extends 'String' | 'DateTime'
    ? string
    : C[K] extends 'Array(String)'
      ? string[]
      : C[K] extends 'Nullable(Float64)'
        ? number | null
        : number;
};

/** Columns of a leg or session row that come from no record field: the writer sets them. */
export const writerColumns = ['start_time', 'sign', 'inserted_at'] as const;
export type WriterColumn = (typeof writerColumns)[number];

/** Log of leg rows with a sign (CollapsingMergeTree): +1 a version, -1 the version it superseded. */
export const legsColumns = {
  schema_version: 'UInt8',
  version: 'UInt64',
  account_id: 'String',
  telephony_session_id: 'String',
  session_id: 'String',
  party_id: 'String',
  extension_id: 'String',
  direction: 'String',
  origin_type: 'String',
  from_number: 'String',
  from_name: 'String',
  from_extension_id: 'String',
  to_number: 'String',
  to_name: 'String',
  to_extension_id: 'String',
  queue_call: 'UInt8',
  queue_id: 'String',
  queue_name: 'String',
  result: 'String',
  end_reason: 'String',
  end_status: 'String',
  ended_by: 'String',
  ended_during_hold: 'UInt8',
  missed_call: 'UInt8',
  start_time: 'DateTime',
  start_ms: 'UInt64',
  ring_start_ms: 'UInt64',
  answer_ms: 'UInt64',
  end_ms: 'UInt64',
  ring_ms: 'UInt64',
  talk_ms: 'UInt64',
  hold_ms: 'UInt64',
  hold_count: 'UInt32',
  duration_ms: 'UInt64',
  park_id: 'String',
  recorded: 'UInt8',
  peer_telephony_session_id: 'String',
  event_count: 'UInt32',
  last_sequence: 'UInt64',
  sign: 'Int8',
  inserted_at: 'DateTime',
} as const satisfies Record<string, ClickHouseType>;

/** Log of session rows with a sign, same scheme as legs. */
export const sessionsColumns = {
  schema_version: 'UInt8',
  version: 'UInt64',
  account_id: 'String',
  telephony_session_id: 'String',
  session_id: 'String',
  origin_type: 'String',
  direction: 'String',
  from_number: 'String',
  to_number: 'String',
  start_time: 'DateTime',
  start_ms: 'UInt64',
  end_ms: 'UInt64',
  duration_ms: 'UInt64',
  queue_id: 'String',
  queue_name: 'String',
  queue_enter_ms: 'UInt64',
  first_answer_ms: 'UInt64',
  wait_ms: 'UInt64',
  answered_by_extension_id: 'String',
  abandoned: 'UInt8',
  leg_count: 'UInt32',
  event_count: 'UInt32',
  last_sequence: 'UInt64',
  sign: 'Int8',
  inserted_at: 'DateTime',
} as const satisfies Record<string, ClickHouseType>;

/** Sign-weighted sums per account, extension, UTC hour, direction and result (fed from legs by a materialized view). */
export const extensionHourlyColumns = {
  account_id: 'String',
  extension_id: 'String',
  hour: 'DateTime',
  direction: 'String',
  result: 'String',
  sum_legs: 'Int64',
  sum_queue_legs: 'Int64',
  sum_missed_calls: 'Int64',
  sum_ended_during_hold: 'Int64',
  sum_ended_by_agent: 'Int64',
  sum_ended_by_customer: 'Int64',
  sum_recorded: 'Int64',
  sum_ring_ms: 'Int64',
  sum_talk_ms: 'Int64',
  sum_hold_ms: 'Int64',
  sum_hold_count: 'Int64',
  sum_duration_ms: 'Int64',
  sum_ring_legs: 'Int64',
  sum_talk_legs: 'Int64',
  sum_hold_legs: 'Int64',
} as const satisfies Record<string, ClickHouseType>;

/** Sign-weighted sums per account, queue, UTC hour and direction (fed from sessions by a materialized view). */
export const queueHourlyColumns = {
  account_id: 'String',
  queue_id: 'String',
  queue_name: 'String',
  hour: 'DateTime',
  direction: 'String',
  sum_calls: 'Int64',
  sum_answered: 'Int64',
  sum_abandoned: 'Int64',
  sum_answered_within_20s: 'Int64',
  sum_answered_within_30s: 'Int64',
  sum_wait_ms: 'Int64',
  sum_answered_wait_ms: 'Int64',
  sum_abandoned_wait_ms: 'Int64',
  sum_duration_ms: 'Int64',
} as const satisfies Record<string, ClickHouseType>;

/** One row per normalised party event of a session with legs (ReplacingMergeTree keyed on session, party, sequence, notification). */
export const partyEventsColumns = {
  telephony_session_id: 'String',
  party_id: 'String',
  sequence: 'UInt64',
  notification_uuid: 'String',
  event_time: 'DateTime',
  event_ms: 'UInt64',
  account_id: 'String',
  session_id: 'String',
  extension_id: 'String',
  direction: 'String',
  status_code: 'String',
  raw_status_code: 'String',
  reason: 'String',
  /** 1 when the party is a leg of the session (a monitored extension's) in the fold that emitted the event. */
  leg: 'UInt8',
  /** 1 for the reaper's synthetic end of a party whose real end never came. */
  synthetic: 'UInt8',
  /** The whole normalised event, JSON (@callpulse/call-model's PartyEvent). */
  event: 'String',
  inserted_at: 'DateTime',
} as const satisfies Record<string, ClickHouseType>;

export type PartyEventsRow = RowOf<typeof partyEventsColumns>;

/**
 * One row per alert transition (AlertTransition, packages/contracts/src/alerts.ts), written by the API's delivery sink
 * from the outbox (ReplacingMergeTree keyed by id: a repeat after a crash is the same row). Times as epoch ms and as
 * DateTime (UTC) for grouping; fired_at_ms 0 and subject_name '' when the transition has none.
 */
export const alertTransitionsColumns = {
  id: 'String',
  rule_id: 'String',
  rule_name: 'String',
  severity: 'String',
  condition_kind: 'String',
  subject: 'String',
  subject_name: 'String',
  status: 'String',
  seq: 'UInt64',
  value: 'Nullable(Float64)',
  threshold: 'Float64',
  at: 'DateTime',
  at_ms: 'UInt64',
  fired_at_ms: 'UInt64',
  summary: 'String',
  target_ids: 'Array(String)',
  /** The outbox stream id the row came from (its order of commit). */
  outbox_id: 'String',
  inserted_at: 'DateTime',
} as const satisfies Record<string, ClickHouseType>;

export type AlertTransitionsRow = RowOf<typeof alertTransitionsColumns>;

/** Every table the migrations create, by name, with its columns in order. */
export const tableColumns = {
  [tableNames.legs]: legsColumns,
  [tableNames.sessions]: sessionsColumns,
  [tableNames.extensionHourly]: extensionHourlyColumns,
  [tableNames.queueHourly]: queueHourlyColumns,
  [tableNames.partyEvents]: partyEventsColumns,
  [tableNames.alertTransitions]: alertTransitionsColumns,
} as const;

export type LegsRow = RowOf<typeof legsColumns>;
export type SessionsRow = RowOf<typeof sessionsColumns>;

/** The columns of a table that a record fills (all but the writer's own), in table order. */
function recordColumnsOf<C extends Record<string, ClickHouseType>>(columns: C): Array<Exclude<keyof C & string, WriterColumn>> {
  const own: readonly string[] = writerColumns;
  return Object.keys(columns).filter((name) => !own.includes(name)) as Array<Exclude<keyof C & string, WriterColumn>>;
}

/** The legs columns of a CompletedLegRecord's fields (each the snake_case of its field). */
export const legRecordColumns = recordColumnsOf(legsColumns);
export type LegRecordColumn = (typeof legRecordColumns)[number];
/** The sessions columns of a SessionSummaryRecord's fields. */
export const sessionRecordColumns = recordColumnsOf(sessionsColumns);
export type SessionRecordColumn = (typeof sessionRecordColumns)[number];

/** A leg as stored, without the writer's own columns: what the API reads from legs. */
export type LegRecordRow = Pick<LegsRow, LegRecordColumn>;
