// Names of the reporting tables and views. BI tools and the API query the views; the tables are the writer's.

export const tableNames = {
  /** Log of leg rows with a sign (CollapsingMergeTree): +1 a version, -1 the version it superseded. */
  legs: 'legs',
  /** Log of session rows with a sign, same scheme as legs. */
  sessions: 'sessions',
  /** SummingMergeTree fed by a materialized view from legs: per account, extension, hour, direction, result. */
  extensionHourly: 'extension_hourly',
  /** The legs log again, ordered by start time (migration 0010): what the API reads a range from. */
  legsByStart: 'legs_by_start',
  /** The legs log again, ordered by extension, then start time (migration 0012): a few extensions' range (leg-filter.ts). */
  legsByExtension: 'legs_by_extension',
  /** SummingMergeTree fed by a materialized view from legs, ordered by time: per UTC quarter hour, direction, result, answered, ended by, ring seconds (migration 0011). */
  legQuarterHours: 'leg_quarter_hours',
  /** SummingMergeTree from legs: legs and ms per UTC quarter hour, phase (ring, talk, hold), non-call flag and duration bin (migration 0011). */
  legPhaseBins: 'leg_phase_bins',
  /** SummingMergeTree from legs: legs per phase, non-call flag, duration bin, UTC quarter hour and exact duration (migration 0011). */
  legPhaseValues: 'leg_phase_values',
  /** leg_phase_bins per UTC day instead of quarter hour (migration 0011). */
  legPhaseDayBins: 'leg_phase_day_bins',
  /** leg_phase_values per UTC day instead of quarter hour (migration 0011). */
  legPhaseDayValues: 'leg_phase_day_values',
  /** SummingMergeTree from legs: the agent leaderboard's counts and sums per UTC day, extension and non-call flag (migration 0011). */
  extensionDays: 'extension_days',
  /** The number search's index (migration 0014): per month and number, every suffix of the number of 4 bytes or more. */
  legNumberSuffixes: 'leg_number_suffixes',
  /** The number search's index (migration 0014): the start times of each number's legs, ordered by number. */
  legNumberStarts: 'leg_number_starts',
  /** SummingMergeTree fed by a materialized view from sessions: per account, queue, hour, direction. */
  queueHourly: 'queue_hourly',
  /** The normalised party events of sessions with legs (ReplacingMergeTree, one row per event): what the API explains calls from. */
  partyEvents: 'party_events',
  /** Every alert transition, committed once by the API's evaluator (ReplacingMergeTree keyed by the transition id). */
  alertTransitions: 'alert_transitions',
  /** Applied migrations, with their checksums. */
  migrations: 'schema_migrations',
} as const;

export const viewNames = {
  /** One row per leg, latest version only. */
  legsLatest: 'legs_latest',
  /** One row per session, latest version only. */
  sessionsLatest: 'sessions_latest',
  /** Counts and sums per account, extension, hour (UTC), direction and result. */
  extensionHourlyStats: 'extension_hourly_stats',
  /** Exact maxima of ring, talk and hold per account, extension, hour and direction (from legs_latest). */
  extensionHourlyMaxima: 'extension_hourly_maxima',
  /** Counts and sums per account, queue, hour (UTC) and direction. */
  queueStats: 'queue_stats',
} as const;

export type TableName = (typeof tableNames)[keyof typeof tableNames];
export type ViewName = (typeof viewNames)[keyof typeof viewNames];
