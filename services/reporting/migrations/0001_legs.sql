-- Legs as a log of signed rows (see docs/bi.md, "How the numbers stay exact"): each version of a leg is written once
-- with sign +1; when a newer version arrives, the writer adds a copy of the old row with sign -1 in the same insert.
-- Collapsing merges drop the +1/-1 pairs in the background; queries never depend on merges having happened.
-- Ordered by leg and version so the writer's look-up of stored versions by telephony_session_id reads little.
CREATE TABLE IF NOT EXISTS {{database}}.legs (
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
ORDER BY (telephony_session_id, party_id, version);
