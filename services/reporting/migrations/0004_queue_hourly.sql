-- Per account, queue, UTC hour and direction: counts and sums of every session row multiplied by its sign.
-- Sessions that did not pass through a queue have queue_id ''. Read it through the view queue_stats.
CREATE TABLE IF NOT EXISTS {{database}}.queue_hourly (
  account_id String,
  queue_id String,
  queue_name String,
  hour DateTime,
  direction String,
  sum_calls Int64,
  sum_answered Int64,
  sum_abandoned Int64,
  sum_answered_within_20s Int64,
  sum_answered_within_30s Int64,
  sum_wait_ms Int64,
  sum_answered_wait_ms Int64,
  sum_abandoned_wait_ms Int64,
  sum_duration_ms Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (account_id, queue_id, queue_name, hour, direction);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.queue_hourly_mv TO {{database}}.queue_hourly AS
SELECT
  account_id,
  queue_id,
  queue_name,
  toStartOfHour(start_time, 'UTC') AS hour,
  direction,
  toInt64(sign) AS sum_calls,
  toInt64(first_answer_ms > 0) * sign AS sum_answered,
  toInt64(abandoned) * sign AS sum_abandoned,
  toInt64(first_answer_ms > 0 AND wait_ms <= 20000) * sign AS sum_answered_within_20s,
  toInt64(first_answer_ms > 0 AND wait_ms <= 30000) * sign AS sum_answered_within_30s,
  toInt64(wait_ms) * sign AS sum_wait_ms,
  toInt64(if(first_answer_ms > 0, wait_ms, 0)) * sign AS sum_answered_wait_ms,
  toInt64(if(abandoned = 1 AND end_ms > if(queue_enter_ms > 0, queue_enter_ms, start_ms), end_ms - if(queue_enter_ms > 0, queue_enter_ms, start_ms), 0)) * sign AS sum_abandoned_wait_ms,
  toInt64(duration_ms) * sign AS sum_duration_ms
FROM {{database}}.sessions;
