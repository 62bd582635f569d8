-- Sums of the legs by time, ORDERED BY TIME FIRST, so that the reports of a week or a month read a few hundred
-- thousand pre-added rows instead of every leg of the range (legs_by_start: 3.4 million legs a month on the bench's
-- data, about 190 ms of ClickHouse 18.16 for a bare sum(sign) over them). Six SummingMergeTree tables, each filled by
-- a materialized view from legs and sign-weighted like extension_hourly (a superseded version's -1 row is a copy of its
-- +1 row, lands in the same row of these tables and takes its figures back out), so no version dedupe is needed:
--
-- * leg_quarter_hours: per UTC quarter hour (bucket = start_time cut to 15 minutes), direction, result, was_answered
--   (answer_ms > 0), ended_by and, for answered inbound legs only, ring_seconds = ceil(ring_ms / 1000) capped at 3601
--   (ring_ms <= 1000 x S  <=>  ring_seconds <= S for any whole S from 0 to 3600: the KPIs' service level of any
--   request); sums of legs, ring/talk/hold ms and legs with a ring/talk/hold phase. A quarter hour serves every zone
--   whose offsets are whole quarter hours (all of today's, :30 and :45 ones included) and business hours opening and
--   closing on quarter hours. The KPIs, callStats by hour/day/result/direction (so callVolume), the hour-of-day
--   density and the weekday x hour heatmap read it (services/api/src/history/bucket-source.ts decides).
-- * leg_phase_bins and leg_phase_values: the durations' exact histogram. For each leg with a ring, talk or hold phase
--   (phase 1, 2, 3; ms > 0), non_call (result Fax, Redirected or Supervision: contracts' nonCallResults, which the
--   reports leave out) and its bin (1 s wide under 1,000 s, 10 s under 10,000 s, 100 s under 100,000 s, then 1,000 s:
--   monotonic in the value), leg_phase_bins counts legs and sums ms per quarter hour and bin (about a row per leg
--   with talk, fewer for ring and hold); leg_phase_values counts legs per exact value, ordered by (phase, non_call, bin, bucket) so that the few bins
--   that hold a percentile or the maximum are read alone. A +1 row and its -1 copy have the same value and cancel:
--   the net count of a value is how many latest legs have it, so percentiles at rank floor(q x n) (quantileExact) and
--   maxima are exact. leg_phase_day_bins and leg_phase_day_values hold the same per UTC day (below).
-- * extension_days: per UTC day, extension and non_call: the agent leaderboard's counts and sums; the API adds the
--   legs of the partial days at the range's ends (a zone's month does not start on a UTC midnight).
--
-- RUN IT WHILE NO REPORTING INSTANCE WRITES (reporting applies migrations at start, before it consumes; by hand,
-- `npm run migrate` with every instance stopped): rows written between a view's CREATE and its table's backfill would
-- be counted twice. Every statement can run again: CREATE ... IF NOT EXISTS, and backfills that insert only the
-- difference between what legs holds and what the table already holds (nothing on the first run), so a backfill cut
-- off half-way (an INSERT ... SELECT is not atomic) is completed, not doubled, by a rerun; then OPTIMIZE ... FINAL
-- (can run any number of times) merges the backfill's rows with the views'. On the bench's 10 million legs the six
-- backfills took about 5 minutes on two cores (at load 5-8) and the tables 168 MiB; leg_phase_values holds about a row
-- per leg and phase.
CREATE TABLE IF NOT EXISTS {{database}}.leg_quarter_hours (
  account_id String,
  bucket DateTime,
  direction String,
  result String,
  was_answered UInt8,
  ended_by String,
  ring_seconds UInt16,
  sum_legs Int64,
  sum_ring_ms Int64,
  sum_talk_ms Int64,
  sum_hold_ms Int64,
  sum_ring_legs Int64,
  sum_talk_legs Int64,
  sum_hold_legs Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, account_id, direction, result, was_answered, ended_by, ring_seconds);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_quarter_hours_mv TO {{database}}.leg_quarter_hours AS
SELECT
  account_id,
  toDateTime(intDiv(toUInt32(start_time), 900) * 900) AS bucket,
  direction,
  result,
  toUInt8(answer_ms > 0) AS was_answered,
  ended_by,
  toUInt16(if(direction = 'Inbound' AND answer_ms > 0, least(intDiv(ring_ms + 999, 1000), 3601), 0)) AS ring_seconds,
  toInt64(sign) AS sum_legs,
  toInt64(ring_ms) * sign AS sum_ring_ms,
  toInt64(talk_ms) * sign AS sum_talk_ms,
  toInt64(hold_ms) * sign AS sum_hold_ms,
  toInt64(ring_ms > 0) * sign AS sum_ring_legs,
  toInt64(talk_ms > 0) * sign AS sum_talk_legs,
  toInt64(hold_ms > 0) * sign AS sum_hold_legs
FROM {{database}}.legs;

INSERT INTO {{database}}.leg_quarter_hours (account_id, bucket, direction, result, was_answered, ended_by, ring_seconds,
  sum_legs, sum_ring_ms, sum_talk_ms, sum_hold_ms, sum_ring_legs, sum_talk_legs, sum_hold_legs)
SELECT account_id, toDateTime(bucket_s) AS bucket, direction, result, was_answered, ended_by, ring_seconds,
  sum(legs_) AS s_legs, sum(ring_) AS s_ring, sum(talk_) AS s_talk, sum(hold_) AS s_hold,
  sum(ring_legs_) AS s_ring_legs, sum(talk_legs_) AS s_talk_legs, sum(hold_legs_) AS s_hold_legs
FROM (
  SELECT account_id, intDiv(toUInt32(start_time), 900) * 900 AS bucket_s, direction, result,
    toUInt8(answer_ms > 0) AS was_answered, ended_by,
    toUInt16(if(direction = 'Inbound' AND answer_ms > 0, least(intDiv(ring_ms + 999, 1000), 3601), 0)) AS ring_seconds,
    toInt64(sign) AS legs_, toInt64(ring_ms) * sign AS ring_, toInt64(talk_ms) * sign AS talk_,
    toInt64(hold_ms) * sign AS hold_, toInt64(ring_ms > 0) * sign AS ring_legs_,
    toInt64(talk_ms > 0) * sign AS talk_legs_, toInt64(hold_ms > 0) * sign AS hold_legs_
  FROM {{database}}.legs
  UNION ALL
  SELECT account_id, toUInt32(bucket), direction, result, was_answered, ended_by, ring_seconds, -sum_legs, -sum_ring_ms,
    -sum_talk_ms, -sum_hold_ms, -sum_ring_legs, -sum_talk_legs, -sum_hold_legs
  FROM {{database}}.leg_quarter_hours
)
GROUP BY account_id, bucket_s, direction, result, was_answered, ended_by, ring_seconds
HAVING s_legs != 0 OR s_ring != 0 OR s_talk != 0 OR s_hold != 0 OR s_ring_legs != 0 OR s_talk_legs != 0 OR s_hold_legs != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

OPTIMIZE TABLE {{database}}.leg_quarter_hours FINAL;

CREATE TABLE IF NOT EXISTS {{database}}.leg_phase_bins (
  account_id String,
  bucket DateTime,
  phase UInt8,
  non_call UInt8,
  bin UInt32,
  sum_legs Int64,
  sum_ms Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, account_id, phase, non_call, bin);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_phase_bins_mv TO {{database}}.leg_phase_bins AS
SELECT
  account_id,
  toDateTime(intDiv(toUInt32(start_time), 900) * 900) AS bucket,
  phase,
  toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
  toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
  toInt64(sign) AS sum_legs,
  toInt64(phase_ms) * sign AS sum_ms
FROM {{database}}.legs
ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
WHERE phase_ms > 0;

INSERT INTO {{database}}.leg_phase_bins (account_id, bucket, phase, non_call, bin, sum_legs, sum_ms)
SELECT account_id, toDateTime(bucket_s) AS bucket, phase, non_call, bin, sum(legs_) AS s_legs, sum(ms_) AS s_ms
FROM (
  SELECT account_id, intDiv(toUInt32(start_time), 900) * 900 AS bucket_s, phase,
    toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
    toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
    toInt64(sign) AS legs_, toInt64(phase_ms) * sign AS ms_
  FROM {{database}}.legs
  ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
  WHERE phase_ms > 0
  UNION ALL
  SELECT account_id, toUInt32(bucket), phase, non_call, bin, -sum_legs, -sum_ms
  FROM {{database}}.leg_phase_bins
)
GROUP BY account_id, bucket_s, phase, non_call, bin
HAVING s_legs != 0 OR s_ms != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

OPTIMIZE TABLE {{database}}.leg_phase_bins FINAL;

CREATE TABLE IF NOT EXISTS {{database}}.leg_phase_values (
  account_id String,
  phase UInt8,
  non_call UInt8,
  bin UInt32,
  bucket DateTime,
  phase_ms UInt64,
  sum_legs Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (phase, non_call, bin, bucket, account_id, phase_ms);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_phase_values_mv TO {{database}}.leg_phase_values AS
SELECT
  account_id,
  phase,
  toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
  toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
  toDateTime(intDiv(toUInt32(start_time), 900) * 900) AS bucket,
  phase_ms,
  toInt64(sign) AS sum_legs
FROM {{database}}.legs
ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
WHERE phase_ms > 0;

INSERT INTO {{database}}.leg_phase_values (account_id, phase, non_call, bin, bucket, phase_ms, sum_legs)
SELECT account_id, phase, non_call, bin, toDateTime(bucket_s) AS bucket, value_ms, sum(legs_) AS s_legs
FROM (
  SELECT account_id, phase, toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
    toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
    intDiv(toUInt32(start_time), 900) * 900 AS bucket_s, toUInt64(phase_ms) AS value_ms, toInt64(sign) AS legs_
  FROM {{database}}.legs
  ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
  WHERE phase_ms > 0
  UNION ALL
  SELECT account_id, phase, non_call, bin, toUInt32(bucket), phase_ms, -sum_legs
  FROM {{database}}.leg_phase_values
)
GROUP BY account_id, phase, non_call, bin, bucket_s, value_ms
HAVING s_legs != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

OPTIMIZE TABLE {{database}}.leg_phase_values FINAL;

-- The same two per UTC day (day = start_time cut to midnight UTC): what the API reads for the whole UTC days of a
-- range when no filter needs the quarter hours (business hours, local weekdays or hours); a day of a bin holds
-- each value once instead of once per quarter hour it occurs in.
CREATE TABLE IF NOT EXISTS {{database}}.leg_phase_day_bins (
  account_id String,
  day DateTime,
  phase UInt8,
  non_call UInt8,
  bin UInt32,
  sum_legs Int64,
  sum_ms Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, account_id, phase, non_call, bin);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_phase_day_bins_mv TO {{database}}.leg_phase_day_bins AS
SELECT
  account_id,
  toDateTime(intDiv(toUInt32(start_time), 86400) * 86400) AS day,
  phase,
  toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
  toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
  toInt64(sign) AS sum_legs,
  toInt64(phase_ms) * sign AS sum_ms
FROM {{database}}.legs
ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
WHERE phase_ms > 0;

INSERT INTO {{database}}.leg_phase_day_bins (account_id, day, phase, non_call, bin, sum_legs, sum_ms)
SELECT account_id, toDateTime(day_s) AS day, phase, non_call, bin, sum(legs_) AS s_legs, sum(ms_) AS s_ms
FROM (
  SELECT account_id, intDiv(toUInt32(start_time), 86400) * 86400 AS day_s, phase,
    toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
    toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
    toInt64(sign) AS legs_, toInt64(phase_ms) * sign AS ms_
  FROM {{database}}.legs
  ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
  WHERE phase_ms > 0
  UNION ALL
  SELECT account_id, toUInt32(day), phase, non_call, bin, -sum_legs, -sum_ms
  FROM {{database}}.leg_phase_day_bins
)
GROUP BY account_id, day_s, phase, non_call, bin
HAVING s_legs != 0 OR s_ms != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

OPTIMIZE TABLE {{database}}.leg_phase_day_bins FINAL;

CREATE TABLE IF NOT EXISTS {{database}}.leg_phase_day_values (
  account_id String,
  phase UInt8,
  non_call UInt8,
  bin UInt32,
  day DateTime,
  phase_ms UInt64,
  sum_legs Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (phase, non_call, bin, day, account_id, phase_ms);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_phase_day_values_mv TO {{database}}.leg_phase_day_values AS
SELECT
  account_id,
  phase,
  toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
  toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
  toDateTime(intDiv(toUInt32(start_time), 86400) * 86400) AS day,
  phase_ms,
  toInt64(sign) AS sum_legs
FROM {{database}}.legs
ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
WHERE phase_ms > 0;

INSERT INTO {{database}}.leg_phase_day_values (account_id, phase, non_call, bin, day, phase_ms, sum_legs)
SELECT account_id, phase, non_call, bin, toDateTime(day_s) AS day, value_ms, sum(legs_) AS s_legs
FROM (
  SELECT account_id, phase, toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
    toUInt32(multiIf(phase_ms < 1000000, intDiv(phase_ms, 1000), phase_ms < 10000000, 1000 + intDiv(phase_ms, 10000),
    phase_ms < 100000000, 2000 + intDiv(phase_ms, 100000), 3000 + intDiv(phase_ms, 1000000))) AS bin,
    intDiv(toUInt32(start_time), 86400) * 86400 AS day_s, toUInt64(phase_ms) AS value_ms, toInt64(sign) AS legs_
  FROM {{database}}.legs
  ARRAY JOIN [1, 2, 3] AS phase, [ring_ms, talk_ms, hold_ms] AS phase_ms
  WHERE phase_ms > 0
  UNION ALL
  SELECT account_id, phase, non_call, bin, toUInt32(day), phase_ms, -sum_legs
  FROM {{database}}.leg_phase_day_values
)
GROUP BY account_id, phase, non_call, bin, day_s, value_ms
HAVING s_legs != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

OPTIMIZE TABLE {{database}}.leg_phase_day_values FINAL;

CREATE TABLE IF NOT EXISTS {{database}}.extension_days (
  account_id String,
  day DateTime,
  extension_id String,
  non_call UInt8,
  sum_legs Int64,
  sum_inbound Int64,
  sum_outbound Int64,
  sum_answered Int64,
  sum_missed Int64,
  sum_voicemail Int64,
  sum_handled_ms Int64,
  sum_talk_ms Int64,
  sum_hold_ms Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, account_id, extension_id, non_call);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.extension_days_mv TO {{database}}.extension_days AS
SELECT
  account_id,
  toDateTime(intDiv(toUInt32(start_time), 86400) * 86400) AS day,
  extension_id,
  toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call,
  toInt64(sign) AS sum_legs,
  toInt64(direction = 'Inbound') * sign AS sum_inbound,
  toInt64(direction = 'Outbound') * sign AS sum_outbound,
  toInt64(answer_ms > 0) * sign AS sum_answered,
  toInt64(result = 'Missed') * sign AS sum_missed,
  toInt64(result = 'Voicemail') * sign AS sum_voicemail,
  if(answer_ms > 0, toInt64(talk_ms + hold_ms), 0) * sign AS sum_handled_ms,
  toInt64(talk_ms) * sign AS sum_talk_ms,
  toInt64(hold_ms) * sign AS sum_hold_ms
FROM {{database}}.legs;

INSERT INTO {{database}}.extension_days (account_id, day, extension_id, non_call, sum_legs, sum_inbound, sum_outbound,
  sum_answered, sum_missed, sum_voicemail, sum_handled_ms, sum_talk_ms, sum_hold_ms)
SELECT account_id, toDateTime(day_s) AS day, extension_id, non_call, sum(legs_) AS s_legs, sum(inbound_) AS s_inbound,
  sum(outbound_) AS s_outbound, sum(answered_) AS s_answered, sum(missed_) AS s_missed, sum(voicemail_) AS s_voicemail,
  sum(handled_) AS s_handled, sum(talk_) AS s_talk, sum(hold_) AS s_hold
FROM (
  SELECT account_id, intDiv(toUInt32(start_time), 86400) * 86400 AS day_s, extension_id,
    toUInt8(result IN ('Fax', 'Redirected', 'Supervision')) AS non_call, toInt64(sign) AS legs_,
    toInt64(direction = 'Inbound') * sign AS inbound_, toInt64(direction = 'Outbound') * sign AS outbound_,
    toInt64(answer_ms > 0) * sign AS answered_, toInt64(result = 'Missed') * sign AS missed_,
    toInt64(result = 'Voicemail') * sign AS voicemail_, if(answer_ms > 0, toInt64(talk_ms + hold_ms), 0) * sign AS handled_,
    toInt64(talk_ms) * sign AS talk_, toInt64(hold_ms) * sign AS hold_
  FROM {{database}}.legs
  UNION ALL
  SELECT account_id, toUInt32(day), extension_id, non_call, -sum_legs, -sum_inbound, -sum_outbound, -sum_answered,
    -sum_missed, -sum_voicemail, -sum_handled_ms, -sum_talk_ms, -sum_hold_ms
  FROM {{database}}.extension_days
)
GROUP BY account_id, day_s, extension_id, non_call
HAVING s_legs != 0 OR s_inbound != 0 OR s_outbound != 0 OR s_answered != 0 OR s_missed != 0 OR s_voicemail != 0
  OR s_handled != 0 OR s_talk != 0 OR s_hold != 0
SETTINGS max_bytes_before_external_group_by = 1000000000;

OPTIMIZE TABLE {{database}}.extension_days FINAL;
