-- Session summaries (one per telephony session), the same signed-log scheme as legs.
CREATE TABLE IF NOT EXISTS {{database}}.sessions (
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
ORDER BY (telephony_session_id, version);
