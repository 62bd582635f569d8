-- Per account, extension, UTC hour, direction and result: counts and sums of every leg row multiplied by its sign,
-- so a superseded version's -1 row takes its figures back out. Read it through the view extension_hourly_stats
-- (sum() with GROUP BY), never directly: unmerged parts hold partial sums.
CREATE TABLE IF NOT EXISTS {{database}}.extension_hourly (
  account_id String,
  extension_id String,
  hour DateTime,
  direction String,
  result String,
  sum_legs Int64,
  sum_queue_legs Int64,
  sum_missed_calls Int64,
  sum_ended_during_hold Int64,
  sum_ended_by_agent Int64,
  sum_ended_by_customer Int64,
  sum_recorded Int64,
  sum_ring_ms Int64,
  sum_talk_ms Int64,
  sum_hold_ms Int64,
  sum_hold_count Int64,
  sum_duration_ms Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (account_id, extension_id, hour, direction, result);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.extension_hourly_mv TO {{database}}.extension_hourly AS
SELECT
  account_id,
  extension_id,
  toStartOfHour(start_time, 'UTC') AS hour,
  direction,
  result,
  toInt64(sign) AS sum_legs,
  toInt64(queue_call) * sign AS sum_queue_legs,
  toInt64(missed_call) * sign AS sum_missed_calls,
  toInt64(ended_during_hold) * sign AS sum_ended_during_hold,
  toInt64(ended_by = 'agent') * sign AS sum_ended_by_agent,
  toInt64(ended_by = 'customer') * sign AS sum_ended_by_customer,
  toInt64(recorded) * sign AS sum_recorded,
  toInt64(ring_ms) * sign AS sum_ring_ms,
  toInt64(talk_ms) * sign AS sum_talk_ms,
  toInt64(hold_ms) * sign AS sum_hold_ms,
  toInt64(hold_count) * sign AS sum_hold_count,
  toInt64(duration_ms) * sign AS sum_duration_ms
FROM {{database}}.legs;
