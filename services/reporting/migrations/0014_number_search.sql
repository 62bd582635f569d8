-- leg_number_suffixes and leg_number_starts: an index of the legs' numbers, so that the calls explorer's number
-- search ("part of the caller's or the callee's number", the API's phoneNumber filter) reads the few legs whose
-- numbers hold the searched part instead of testing both numbers of every leg of the range: a month on the bench's
-- 10 million legs tested 3.4 million pairs of strings per query (572-590 ms p95 on ClickHouse 18.16).
--
-- * leg_number_suffixes: for each month (toYYYYMM of the leg's start) and number (from_number or to_number, at least
--   MIN_PART = 4 bytes long), every suffix of the number at least 4 bytes long. A number holds a part X (4 bytes or
--   more) exactly when one of its suffixes starts with X, so the numbers holding X are one range of the sorting key:
--   suffix >= X AND suffix < X || '\xFF' (no UTF-8 text holds the byte 0xFF).
-- * leg_number_starts: for each number (as above), the start_time of every leg it is a number of, ordered by number,
--   so a matching number's start times are found by primary key; legs_by_start is ordered by start_time first, so the
--   legs of those start times are found by ITS primary key.
--
-- The API (services/api/src/history/number-search.ts) adds `start_time IN (the start times of the matching numbers in
-- the range)` to the per-row test, which it keeps: the index only prunes what the per-row test reads, it never
-- decides what matches. So the index only has to hold AT LEAST every (number, month) and (number, start_time) of
-- the legs' rows, +1 and -1 alike (a superseded version's numbers stay in it when an amendment changes a number: the
-- per-row test then tells the versions apart, as before). Extra and duplicate rows cost reads, never exactness:
-- both tables are ReplacingMergeTree (merges drop duplicates), the views copy every insert into legs, and the
-- backfills can run again, or overlap rows the views wrote, without harm. Searches shorter than 4 bytes, and
-- searches whose numbers have many legs in the range, read the legs as before (number-search.ts decides).
--
-- Order of the statements: each table, then its view, then its backfill, so a leg written while the migration runs
-- is copied by the view, by the backfill, or both.
CREATE TABLE IF NOT EXISTS {{database}}.leg_number_suffixes (
  month UInt32,
  suffix String,
  number String
) ENGINE = ReplacingMergeTree
PARTITION BY month
ORDER BY (suffix, number)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_number_suffixes_mv TO {{database}}.leg_number_suffixes AS
SELECT DISTINCT toYYYYMM(start_time) AS month,
  tupleElement(arrayJoin(arrayConcat(
    arrayMap(i -> (substring(from_number, i + 1), from_number), range(toUInt64(greatest(length(from_number), 3) - 3))),
    arrayMap(i -> (substring(to_number, i + 1), to_number), range(toUInt64(greatest(length(to_number), 3) - 3))))), 1) AS suffix,
  tupleElement(arrayJoin(arrayConcat(
    arrayMap(i -> (substring(from_number, i + 1), from_number), range(toUInt64(greatest(length(from_number), 3) - 3))),
    arrayMap(i -> (substring(to_number, i + 1), to_number), range(toUInt64(greatest(length(to_number), 3) - 3))))), 2) AS number
FROM {{database}}.legs;

INSERT INTO {{database}}.leg_number_suffixes (month, suffix, number)
SELECT month, arrayJoin(arrayMap(i -> substring(number, i + 1), range(toUInt64(length(number) - 3)))) AS suffix, number
FROM (
  SELECT DISTINCT toYYYYMM(start_time) AS month, arrayJoin([from_number, to_number]) AS number
  FROM {{database}}.legs
  WHERE length(from_number) >= 4 OR length(to_number) >= 4
)
WHERE length(number) >= 4;

CREATE TABLE IF NOT EXISTS {{database}}.leg_number_starts (
  number String,
  start_time DateTime
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(start_time)
ORDER BY (number, start_time)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.leg_number_starts_mv TO {{database}}.leg_number_starts AS
SELECT DISTINCT arrayJoin(arrayFilter(n -> length(n) >= 4, [from_number, to_number])) AS number, start_time
FROM {{database}}.legs;

INSERT INTO {{database}}.leg_number_starts (number, start_time)
SELECT arrayJoin(arrayFilter(n -> length(n) >= 4, [from_number, to_number])) AS number, start_time
FROM {{database}}.legs;
