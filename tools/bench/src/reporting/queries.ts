// The four reporting queries the issue times, as SQL on the views the API reads (used when the API service is not
// built): call statistics by extension for a month, by hour for a day, queue statistics for a week, and one page of
// calls with filters.
import { escapeIdentifier } from '@callpulse/platform';
import { ACCOUNT_ID } from './dataset.js';

export interface TimedQuery {
  name: string;
  sql: string;
  /** Not one of the queries: a variant that shows where the time goes (no goal). */
  diagnostic?: boolean;
}

const at = (iso: string) => `toDateTime('${iso}', 'UTC')`;

export function viewQueries(database: string): TimedQuery[] {
  const db = escapeIdentifier(database);
  return [
    {
      name: 'callStats by extension, one month',
      sql: `SELECT extension_id, sum(legs) AS calls, sumIf(legs, result = 'Answered') AS answered, sumIf(legs, result = 'Missed') AS missed,
  sum(talk_ms) AS talk_ms, sum(hold_ms) AS hold_ms, sum(ring_ms) AS ring_ms, sum(duration_ms) AS duration_ms
FROM ${db}.extension_hourly_stats
WHERE account_id = '${ACCOUNT_ID}' AND hour >= ${at('2025-10-01 00:00:00')} AND hour < ${at('2025-11-01 00:00:00')}
GROUP BY extension_id ORDER BY extension_id`,
    },
    {
      name: 'callStats by hour, one day',
      sql: `SELECT hour, sum(legs) AS calls, sumIf(legs, result = 'Answered') AS answered, sumIf(legs, result = 'Missed') AS missed,
  sum(talk_ms) AS talk_ms, sum(hold_ms) AS hold_ms
FROM ${db}.extension_hourly_stats
WHERE account_id = '${ACCOUNT_ID}' AND hour >= ${at('2025-10-15 00:00:00')} AND hour < ${at('2025-10-16 00:00:00')}
GROUP BY hour ORDER BY hour`,
    },
    {
      name: 'queueStats, one week',
      sql: `SELECT queue_id, any(queue_name) AS name, sum(calls) AS calls, sum(answered) AS answered, sum(abandoned) AS abandoned,
  sum(answered_within_20s) AS within_20s, sum(answered_wait_ms) AS answered_wait_ms, sum(abandoned_wait_ms) AS abandoned_wait_ms
FROM ${db}.queue_stats
WHERE account_id = '${ACCOUNT_ID}' AND queue_id != '' AND hour >= ${at('2025-10-13 00:00:00')} AND hour < ${at('2025-10-20 00:00:00')}
GROUP BY queue_id ORDER BY queue_id`,
    },
    {
      name: 'calls page (50, filtered)',
      sql: `SELECT telephony_session_id, party_id, extension_id, direction, result, start_ms, ring_ms, talk_ms, hold_ms, from_number, queue_name
FROM ${db}.legs_latest
WHERE account_id = '${ACCOUNT_ID}' AND start_time >= ${at('2025-10-01 00:00:00')} AND start_time < ${at('2025-10-08 00:00:00')}
  AND direction = 'Inbound' AND result IN ('Answered', 'Missed') AND talk_ms >= 60000
ORDER BY start_ms DESC, telephony_session_id, party_id LIMIT 50`,
    },
    {
      name: 'diagnostic: callStats by extension, one month, on extension_hourly with the WHERE before the GROUP BY',
      diagnostic: true,
      sql: `SELECT extension_id, sum(sum_legs) AS calls, sumIf(sum_legs, result = 'Answered') AS answered, sumIf(sum_legs, result = 'Missed') AS missed,
  sum(sum_talk_ms) AS talk_ms, sum(sum_hold_ms) AS hold_ms, sum(sum_ring_ms) AS ring_ms, sum(sum_duration_ms) AS duration_ms
FROM ${db}.extension_hourly
WHERE account_id = '${ACCOUNT_ID}' AND hour >= ${at('2025-10-01 00:00:00')} AND hour < ${at('2025-11-01 00:00:00')}
GROUP BY extension_id HAVING calls != 0 ORDER BY extension_id`,
    },
    {
      name: 'diagnostic: callStats by extension, one month, on the view with enable_optimize_predicate_expression = 1',
      diagnostic: true,
      sql: `SELECT extension_id, sum(legs) AS calls FROM ${db}.extension_hourly_stats
WHERE account_id = '${ACCOUNT_ID}' AND hour >= ${at('2025-10-01 00:00:00')} AND hour < ${at('2025-11-01 00:00:00')}
GROUP BY extension_id ORDER BY extension_id SETTINGS enable_optimize_predicate_expression = 1`,
    },
  ];
}
