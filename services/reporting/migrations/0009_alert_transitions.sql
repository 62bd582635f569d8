-- Every alert transition (docs/alerts.md; docs/bi.md, "alert_transitions"): an alert (a rule on one subject) fired or
-- resolved. The API's delivery sink copies them from the Redis outbox where the evaluator committed each one once.
-- Exact under repeats: the sink inserts only the ids not stored yet (it looks them up first), and a repeat that a
-- crash between the insert and the sink's cursor write could still leave is the same row with the same key: merges of
-- the ReplacingMergeTree drop it, and readers take one row per id (FINAL, or argMax / LIMIT 1 BY id) meanwhile. A
-- key's copies have the same `at`, so they are in one partition, where merges find them.
CREATE TABLE IF NOT EXISTS {{database}}.alert_transitions (
  id String,
  rule_id String,
  rule_name String,
  severity String,
  condition_kind String,
  subject String,
  subject_name String,
  status String,
  seq UInt64,
  value Nullable(Float64),
  threshold Float64,
  at DateTime,
  at_ms UInt64,
  fired_at_ms UInt64,
  summary String,
  target_ids Array(String),
  outbox_id String,
  inserted_at DateTime
) ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(at)
ORDER BY id;
