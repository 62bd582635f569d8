-- Per-phase leg counts in extension_hourly: how many legs had a ring, a talk and a hold phase (ring_ms, talk_ms,
-- hold_ms > 0), sign-weighted like every other figure, so averages over the legs that had a phase (what the API's
-- callStats gives as DurationStats.count and averageMs) can be answered from the hourly table.
--
-- RUN IT WHILE NO REPORTING INSTANCE WRITES. Reporting applies migrations at start, before it consumes, so starting
-- the new version with every old instance stopped is enough; `npm run migrate` by hand needs the same. Legs inserted
-- between the DROP and the CREATE of the materialized view below would be missing from extension_hourly altogether.
--
-- A rerun after a partial failure (the runner records a migration only when every statement succeeded):
-- * the ALTER is the only statement that cannot run twice: ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS (a
--   syntax error there). If a later statement failed, the rerun stops at this ALTER ("column ... already exists"):
--   drop the new columns (ALTER TABLE <database>.extension_hourly DROP COLUMN sum_ring_legs, DROP COLUMN
--   sum_talk_legs, DROP COLUMN sum_hold_legs; the three are added by one statement) and run the migration again;
--   the backfill then starts over. A statement the client gave up on (timeout, lost connection) may still have
--   finished on the server: the same way out applies.
-- * every other statement can run again: DROP ... IF EXISTS, CREATE ... IF NOT EXISTS, OPTIMIZE, and a backfill that inserts
--   only the difference between legs and what extension_hourly already holds in the new columns, so a backfill cut
--   off half-way (an INSERT ... SELECT is not atomic) is completed, not doubled, by the next run.
ALTER TABLE {{database}}.extension_hourly
  ADD COLUMN sum_ring_legs Int64,
  ADD COLUMN sum_talk_legs Int64,
  ADD COLUMN sum_hold_legs Int64;

DROP TABLE IF EXISTS {{database}}.extension_hourly_mv;

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
  toInt64(duration_ms) * sign AS sum_duration_ms,
  toInt64(ring_ms > 0) * sign AS sum_ring_legs,
  toInt64(talk_ms > 0) * sign AS sum_talk_legs,
  toInt64(hold_ms > 0) * sign AS sum_hold_legs
FROM {{database}}.legs;

-- Backfill: the per-phase counts of the legs already stored, minus what extension_hourly already holds in the new
-- columns (nothing on the first run), as extra rows whose other figures are 0; the SummingMergeTree adds them up.
-- One group per stored (extension, hour, direction, result) cell: about 4 GB of memory for 10 million legs, so the
-- GROUP BY spills to disk beyond 1 GB (a server's max_memory_usage is often 10 GB, the local stack's 4 GB). About a
-- minute for 10 million legs on two cores.
INSERT INTO {{database}}.extension_hourly
  (account_id, extension_id, hour, direction, result, sum_ring_legs, sum_talk_legs, sum_hold_legs)
SELECT account_id, extension_id, toDateTime(hour_s) AS hour, direction, result,
  sum(ring_legs) AS s_ring, sum(talk_legs) AS s_talk, sum(hold_legs) AS s_hold
FROM (
  SELECT
    account_id,
    extension_id,
    toUInt32(toStartOfHour(start_time, 'UTC')) AS hour_s,
    direction,
    result,
    toInt64(ring_ms > 0) * sign AS ring_legs,
    toInt64(talk_ms > 0) * sign AS talk_legs,
    toInt64(hold_ms > 0) * sign AS hold_legs
  FROM {{database}}.legs
  UNION ALL
  SELECT account_id, extension_id, toUInt32(hour), direction, result, -sum_ring_legs, -sum_talk_legs, -sum_hold_legs
  FROM {{database}}.extension_hourly
)
GROUP BY account_id, extension_id, hour_s, direction, result
HAVING s_ring != 0 OR s_talk != 0 OR s_hold != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

-- The backfill added a second row to every stored cell; background merges may leave old months' parts unmerged for
-- a long time, and every read would sum twice the rows. Merge each partition now (it rewrites the table once: about
-- half a minute for 10 million legs; it needs free disk for the largest partition). Can run any number of times.
OPTIMIZE TABLE {{database}}.extension_hourly FINAL;

-- The BI view, now with the per-phase counts (ring_legs, talk_legs, hold_legs).
DROP TABLE IF EXISTS {{database}}.extension_hourly_stats;

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
  sum(sum_duration_ms) AS duration_ms,
  sum(sum_ring_legs) AS ring_legs,
  sum(sum_talk_legs) AS talk_legs,
  sum(sum_hold_legs) AS hold_legs
FROM {{database}}.extension_hourly
GROUP BY account_id, extension_id, hour, direction, result
HAVING legs != 0;
