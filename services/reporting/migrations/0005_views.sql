-- The views BI tools and the API query (docs/bi.md). None of them needs to know about versions or signs.

-- One row per leg, its latest version: every +1 row whose version was not superseded by a -1 row. The set of
-- superseded versions is small (amendments are rare), so this needs neither FINAL nor a GROUP BY over all legs.
CREATE VIEW IF NOT EXISTS {{database}}.legs_latest AS
SELECT
  schema_version, version, account_id, telephony_session_id, session_id, party_id, extension_id, direction, origin_type,
  from_number, from_name, from_extension_id, to_number, to_name, to_extension_id, queue_call, queue_id, queue_name,
  result, end_reason, end_status, ended_by, ended_during_hold, missed_call, start_time, start_ms, ring_start_ms,
  answer_ms, end_ms, ring_ms, talk_ms, hold_ms, hold_count, duration_ms, park_id, recorded, peer_telephony_session_id,
  event_count, last_sequence, inserted_at
FROM {{database}}.legs
WHERE sign = 1
  AND (telephony_session_id, party_id, version) NOT IN (
    SELECT telephony_session_id, party_id, version FROM {{database}}.legs WHERE sign = -1
  );

-- One row per telephony session, its latest version.
CREATE VIEW IF NOT EXISTS {{database}}.sessions_latest AS
SELECT
  schema_version, version, account_id, telephony_session_id, session_id, origin_type, direction, from_number,
  to_number, start_time, start_ms, end_ms, duration_ms, queue_id, queue_name, queue_enter_ms, first_answer_ms, wait_ms,
  answered_by_extension_id, abandoned, leg_count, event_count, last_sequence, inserted_at
FROM {{database}}.sessions
WHERE sign = 1
  AND (telephony_session_id, version) NOT IN (SELECT telephony_session_id, version FROM {{database}}.sessions WHERE sign = -1);

-- Counts and sums per account, extension, UTC hour, direction and result.
CREATE VIEW IF NOT EXISTS {{database}}.extension_hourly_stats AS
SELECT
  account_id,
  extension_id,
  hour,
  direction,
  result,
  sum(sum_legs) AS legs,
  sum(sum_queue_legs) AS queue_legs,
  sum(sum_missed_calls) AS missed_calls,
  sum(sum_ended_during_hold) AS ended_during_hold,
  sum(sum_ended_by_agent) AS ended_by_agent,
  sum(sum_ended_by_customer) AS ended_by_customer,
  sum(sum_recorded) AS recorded,
  sum(sum_ring_ms) AS ring_ms,
  sum(sum_talk_ms) AS talk_ms,
  sum(sum_hold_ms) AS hold_ms,
  sum(sum_hold_count) AS hold_count,
  sum(sum_duration_ms) AS duration_ms
FROM {{database}}.extension_hourly
GROUP BY account_id, extension_id, hour, direction, result
HAVING legs != 0;

-- Maxima cannot be taken back by a -1 row, so they are computed exactly from legs_latest when queried.
CREATE VIEW IF NOT EXISTS {{database}}.extension_hourly_maxima AS
SELECT
  account_id,
  extension_id,
  toStartOfHour(start_time, 'UTC') AS hour,
  direction,
  count() AS legs,
  max(ring_ms) AS max_ring_ms,
  max(talk_ms) AS max_talk_ms,
  max(hold_ms) AS max_hold_ms,
  max(hold_count) AS max_hold_count
FROM {{database}}.legs_latest
GROUP BY account_id, extension_id, hour, direction;

-- Counts and sums per account, queue, UTC hour and direction (queue_id '' = calls that did not pass a queue).
CREATE VIEW IF NOT EXISTS {{database}}.queue_stats AS
SELECT
  account_id,
  queue_id,
  queue_name,
  hour,
  direction,
  sum(sum_calls) AS calls,
  sum(sum_answered) AS answered,
  sum(sum_abandoned) AS abandoned,
  sum(sum_answered_within_20s) AS answered_within_20s,
  sum(sum_answered_within_30s) AS answered_within_30s,
  sum(sum_wait_ms) AS wait_ms,
  sum(sum_answered_wait_ms) AS answered_wait_ms,
  sum(sum_abandoned_wait_ms) AS abandoned_wait_ms,
  sum(sum_duration_ms) AS duration_ms
FROM {{database}}.queue_hourly
GROUP BY account_id, queue_id, queue_name, hour, direction
HAVING calls != 0;
