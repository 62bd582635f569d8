-- legs_by_start and queue_sessions_by_start: the legs log, and the sessions log's queued sessions, again, ordered by
-- start time instead of by session, so that the API's reports, queue table, calls explorer and CSV export read only
-- the granules of their range. legs and sessions are ordered by session and partitioned by month, so a query for a
-- day, a week or a month read the start_time and start_ms of every row of its months (and the version dedupe's
-- lookup all of them again): on 10 million legs a day's duration figures took over a second.
--
-- Same rows as the logs (+1 and -1 alike, written by materialized views in the same INSERT), same engine (a +1 row and
-- the -1 row that cancels it share the sorting key, start_time included, so merges collapse them as in the logs): the
-- API's sign-weighted sums and version dedupe read them exactly as they read the logs. legs_by_start doubles the legs'
-- disk space (about 680 MB per 10 million legs on the bench's data). queue_sessions_by_start holds the sessions rows
-- with a queue (queue_id != ''; a -1 row is a copy of its +1 row, so both or neither are copied), all queueStats
-- reads: a session amended out of its queue leaves its old version's +1 and -1 there, which cancel out.
--
-- The views name the columns, so a column added to legs or sessions later is not copied until a migration adds it
-- here too (an INSERT into the logs never fails because of these tables' columns).
--
-- RUN IT WHILE NO REPORTING INSTANCE WRITES (reporting applies migrations at start, before it consumes; by hand,
-- `npm run migrate` with every instance stopped): each backfill copies the rows its log holds that the copy does not,
-- by (session, party, version, sign), so rows written while it runs could be copied twice, once by the view and once
-- by the backfill. Every statement can run again: a rerun after a partial failure completes a cut-off backfill (an
-- INSERT ... SELECT is not atomic) instead of doubling it; that rerun holds the copied rows' keys in memory.
CREATE TABLE IF NOT EXISTS {{database}}.legs_by_start (
  schema_version UInt8,
  version UInt64,
  account_id String,
  telephony_session_id String,
  session_id String,
  party_id String,
  extension_id String,
  direction String,
  origin_type String,
  from_number String,
  from_name String,
  from_extension_id String,
  to_number String,
  to_name String,
  to_extension_id String,
  queue_call UInt8,
  queue_id String,
  queue_name String,
  result String,
  end_reason String,
  end_status String,
  ended_by String,
  ended_during_hold UInt8,
  missed_call UInt8,
  start_time DateTime,
  start_ms UInt64,
  ring_start_ms UInt64,
  answer_ms UInt64,
  end_ms UInt64,
  ring_ms UInt64,
  talk_ms UInt64,
  hold_ms UInt64,
  hold_count UInt32,
  duration_ms UInt64,
  park_id String,
  recorded UInt8,
  peer_telephony_session_id String,
  event_count UInt32,
  last_sequence UInt64,
  sign Int8,
  inserted_at DateTime
) ENGINE = CollapsingMergeTree(sign)
PARTITION BY toYYYYMM(start_time)
ORDER BY (start_time, telephony_session_id, party_id, version);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.legs_by_start_mv TO {{database}}.legs_by_start AS
SELECT schema_version, version, account_id, telephony_session_id, session_id, party_id, extension_id, direction,
  origin_type, from_number, from_name, from_extension_id, to_number, to_name, to_extension_id, queue_call,
  queue_id, queue_name, result, end_reason, end_status, ended_by, ended_during_hold, missed_call, start_time,
  start_ms, ring_start_ms, answer_ms, end_ms, ring_ms, talk_ms, hold_ms, hold_count, duration_ms, park_id,
  recorded, peer_telephony_session_id, event_count, last_sequence, sign, inserted_at
FROM {{database}}.legs;

INSERT INTO {{database}}.legs_by_start (schema_version, version, account_id, telephony_session_id, session_id, party_id, extension_id, direction,
  origin_type, from_number, from_name, from_extension_id, to_number, to_name, to_extension_id, queue_call,
  queue_id, queue_name, result, end_reason, end_status, ended_by, ended_during_hold, missed_call, start_time,
  start_ms, ring_start_ms, answer_ms, end_ms, ring_ms, talk_ms, hold_ms, hold_count, duration_ms, park_id,
  recorded, peer_telephony_session_id, event_count, last_sequence, sign, inserted_at)
SELECT schema_version, version, account_id, telephony_session_id, session_id, party_id, extension_id, direction,
  origin_type, from_number, from_name, from_extension_id, to_number, to_name, to_extension_id, queue_call,
  queue_id, queue_name, result, end_reason, end_status, ended_by, ended_during_hold, missed_call, start_time,
  start_ms, ring_start_ms, answer_ms, end_ms, ring_ms, talk_ms, hold_ms, hold_count, duration_ms, park_id,
  recorded, peer_telephony_session_id, event_count, last_sequence, sign, inserted_at
FROM {{database}}.legs
WHERE (telephony_session_id, party_id, version, sign) NOT IN (
  SELECT telephony_session_id, party_id, version, sign FROM {{database}}.legs_by_start
);

CREATE TABLE IF NOT EXISTS {{database}}.queue_sessions_by_start (
  schema_version UInt8,
  version UInt64,
  account_id String,
  telephony_session_id String,
  session_id String,
  origin_type String,
  direction String,
  from_number String,
  to_number String,
  start_time DateTime,
  start_ms UInt64,
  end_ms UInt64,
  duration_ms UInt64,
  queue_id String,
  queue_name String,
  queue_enter_ms UInt64,
  first_answer_ms UInt64,
  wait_ms UInt64,
  answered_by_extension_id String,
  abandoned UInt8,
  leg_count UInt32,
  event_count UInt32,
  last_sequence UInt64,
  sign Int8,
  inserted_at DateTime
) ENGINE = CollapsingMergeTree(sign)
PARTITION BY toYYYYMM(start_time)
ORDER BY (start_time, telephony_session_id, version);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.queue_sessions_by_start_mv TO {{database}}.queue_sessions_by_start AS
SELECT schema_version, version, account_id, telephony_session_id, session_id, origin_type, direction, from_number,
  to_number, start_time, start_ms, end_ms, duration_ms, queue_id, queue_name, queue_enter_ms, first_answer_ms,
  wait_ms, answered_by_extension_id, abandoned, leg_count, event_count, last_sequence, sign, inserted_at
FROM {{database}}.sessions
WHERE queue_id != '';

INSERT INTO {{database}}.queue_sessions_by_start (schema_version, version, account_id, telephony_session_id, session_id, origin_type, direction, from_number, to_number, start_time, start_ms, end_ms, duration_ms, queue_id, queue_name, queue_enter_ms, first_answer_ms, wait_ms, answered_by_extension_id, abandoned, leg_count, event_count, last_sequence, sign, inserted_at)
SELECT schema_version, version, account_id, telephony_session_id, session_id, origin_type, direction, from_number,
  to_number, start_time, start_ms, end_ms, duration_ms, queue_id, queue_name, queue_enter_ms, first_answer_ms,
  wait_ms, answered_by_extension_id, abandoned, leg_count, event_count, last_sequence, sign, inserted_at
FROM {{database}}.sessions
WHERE queue_id != '' AND (telephony_session_id, version, sign) NOT IN (
  SELECT telephony_session_id, version, sign FROM {{database}}.queue_sessions_by_start
);
