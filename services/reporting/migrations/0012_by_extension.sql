-- legs_by_extension: the legs log again, ORDERED BY EXTENSION, THEN START TIME, so that a report or an explorer page
-- filtered to a few extensions reads their granules only. legs_by_start (0010) is ordered by start time: one
-- extension's month read every leg of the month (3.4 million on the bench's data) for its ~340 legs, 0.76 s for the
-- KPIs and the explorer on ClickHouse 18.16. The API reads this copy when the filter names extensions (and no single
-- session): services/api/src/history/leg-filter.ts, rangeTable.
--
-- Same rows as legs (+1 and -1 alike, written by a materialized view in the same INSERT), same engine: a -1 row is a
-- copy of the +1 row it cancels, so it has its extension_id and start_time, shares its sorting key, and merges collapse
-- the pair as in the log; the API's sign-weighted sums and version dedupe read it exactly as they read the log. No
-- account_id in the key: the API's queries do not filter on it (one account per database), and a leading column
-- they do not name would keep the key from narrowing the read.
--
-- Cost, on the bench's 10 million legs (10,000 extensions, 90 days): 745 MiB on disk right after the backfill (8
-- parts; legs_by_start 648 MiB, legs 649 MiB: sorted by extension, the time columns compress a little less), the
-- backfill 2 min 49 s on two cores shared with other work (load 5-8); and every leg written is written once more.
-- One extension's month: the KPIs and their previous period 0.76 s -> ~65 ms, the explorer's page ~50 ms.
--
-- The view names the columns, so a column added to legs later is not copied until a migration adds it here too.
--
-- RUN IT WHILE NO REPORTING INSTANCE WRITES (reporting applies migrations at start, before it consumes; by hand,
-- `npm run migrate` with every instance stopped): the backfill copies the rows legs holds that the copy does not, by
-- (session, party, version, sign), so rows written while it runs could be copied twice, once by the view and once by
-- the backfill. Every statement can run again: a rerun after a partial failure completes a cut-off backfill (an
-- INSERT ... SELECT is not atomic) instead of doubling it; that rerun holds the copied rows' keys in memory.
CREATE TABLE IF NOT EXISTS {{database}}.legs_by_extension (
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
ORDER BY (extension_id, start_time, telephony_session_id, party_id, version);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.legs_by_extension_mv TO {{database}}.legs_by_extension AS
SELECT schema_version, version, account_id, telephony_session_id, session_id, party_id, extension_id, direction,
  origin_type, from_number, from_name, from_extension_id, to_number, to_name, to_extension_id, queue_call,
  queue_id, queue_name, result, end_reason, end_status, ended_by, ended_during_hold, missed_call, start_time,
  start_ms, ring_start_ms, answer_ms, end_ms, ring_ms, talk_ms, hold_ms, hold_count, duration_ms, park_id,
  recorded, peer_telephony_session_id, event_count, last_sequence, sign, inserted_at
FROM {{database}}.legs;

INSERT INTO {{database}}.legs_by_extension (schema_version, version, account_id, telephony_session_id, session_id, party_id, extension_id, direction,
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
  SELECT telephony_session_id, party_id, version, sign FROM {{database}}.legs_by_extension
);
