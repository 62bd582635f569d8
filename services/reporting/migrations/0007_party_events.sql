-- The normalised party events of every session that has legs (docs/bi.md, "party_events"): what call-state folded
-- into the legs and session summaries, so that the API can explain each figure of a stored call with the same fold
-- (its callTimeline query). One row per event: a party's change at one sequence, keyed by its notification (the
-- reaper's synthetic ends, notification_uuid 'callpulse-reaper-timeout', have a key of their own). `event` is the
-- whole normalised event as JSON (packages/call-model/src/party-event.ts); the other columns repeat what BI asks most.
--
-- Exact under replays: the writer inserts only the events not stored yet (it looks them up per session first), and
-- readers take one row per key (GROUP BY or LIMIT 1 BY) in case a failed write ever left a second copy; merges of the
-- ReplacingMergeTree drop such copies too. A session's events can span two months (partitions); a key's copies cannot
-- (same event_time), so merges find them.
CREATE TABLE IF NOT EXISTS {{database}}.party_events (
  telephony_session_id String,
  party_id String,
  sequence UInt64,
  notification_uuid String,
  event_time DateTime,
  event_ms UInt64,
  account_id String,
  session_id String,
  extension_id String,
  direction String,
  status_code String,
  raw_status_code String,
  reason String,
  leg UInt8,
  synthetic UInt8,
  event String,
  inserted_at DateTime
) ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (telephony_session_id, party_id, sequence, notification_uuid);
