// The reporting dataset: N legs over 90 days and 10,000 extensions (plus their sessions), generated inside ClickHouse
// with INSERT ... SELECT FROM numbers(), into a database made by reporting's own migrations, so the materialized
// views fill the hourly tables as they would in production. The database is kept between runs and reused when its
// row counts are the expected ones (see docs/benchmarks.md).
import { spawnSync } from 'node:child_process';
import { legsColumns, sessionsColumns } from '@callpulse/contracts';
import { type ClickHouseClient, escapeIdentifier } from '@callpulse/platform';
import { dropDatabase, queryRows } from '../support/clickhouse.js';
import { repoRoot, serverEnv } from '../support/env.js';

export const DAYS = 90;
export const EXTENSIONS = 10000;
export const QUEUES = 50;
export const ACCOUNT_ID = '400500600';
/** The dataset ends here (fixed, so reruns and the queries' periods agree): 90 days before 2025-11-01 UTC. */
export const END_SECONDS = Date.UTC(2025, 10, 1) / 1000;
export const START_SECONDS = END_SECONDS - DAYS * 86400;
const CHUNK = 1000000;
/**
 * Rows per block an INSERT ... SELECT hands to the views (ClickHouse's default squashes about a million): migration
 * 0014's leg_number_suffixes_mv makes each leg's number suffixes (about 16 rows a leg) and takes their DISTINCT per
 * block, which over a million legs passed the server's 3.7 GiB query limit.
 */
const LOAD_BLOCK_ROWS = 65536;

// The tables' columns in their order (the contract's list, which the migrations create).
const legColumns = Object.keys(legsColumns).join(', ');
const sessionColumns = Object.keys(sessionsColumns).join(', ');

export interface Dataset {
  database: string;
  legs: number;
  sessions: number;
  reused: boolean;
  loadSeconds: number;
}

export function datasetDatabase(legs: number): string {
  return `callpulse_bench_reporting_${legs >= 1e6 && legs % 1e6 === 0 ? `${legs / 1e6}m` : legs}`;
}

/** Sessions: 4 per 5 legs (one in four calls has two legs, e.g. a transfer). Leg n belongs to session intDiv(n*4, 5). */
const sessionsFor = (legs: number) => Math.floor((legs * 4) / 5);

// Leg n: start spread evenly over the period (its session's start), extension, result and durations from hashes of n.
function legsSelect(db: string, legs: number, from: number, count: number): string {
  return `INSERT INTO ${db}.legs (${legColumns}) SELECT ${legColumns} FROM (
SELECT 1 AS schema_version, 1 AS version, '${ACCOUNT_ID}' AS account_id,
  concat('s-bench-', toString(intDiv(n * 4, 5))) AS telephony_session_id, toString(700000000000 + intDiv(n * 4, 5)) AS session_id,
  concat('p-bench-', toString(n)) AS party_id, toString(500000000 + intHash64(n) % ${EXTENSIONS}) AS extension_id,
  if(intHash64(n + 1) % 10 < 7, 'Inbound', 'Outbound') AS direction, 'Call' AS origin_type,
  concat('+1555', toString(1000000 + intHash64(n + 2) % 8999999)) AS from_number, '' AS from_name, '' AS from_extension_id,
  '+18885550142' AS to_number, '' AS to_name, '' AS to_extension_id,
  toUInt8(direction = 'Inbound' AND intHash64(n + 3) % 3 = 0) AS queue_call,
  if(queue_call = 1, toString(600000000 + intHash64(n + 4) % ${QUEUES}), '') AS queue_id,
  if(queue_call = 1, concat('Queue ', toString(intHash64(n + 4) % ${QUEUES})), '') AS queue_name,
  arrayElement(['Answered', 'Answered', 'Answered', 'Answered', 'Answered', 'Missed', 'Voicemail', 'Cancelled', 'Transferred', 'AnsweredElsewhere'], intHash64(n + 5) % 10 + 1) AS result,
  '' AS end_reason, 'Disconnected' AS end_status, if(intHash64(n + 6) % 2 = 0, 'agent', 'customer') AS ended_by,
  toUInt8(intHash64(n + 7) % 50 = 0) AS ended_during_hold, toUInt8(result = 'Missed') AS missed_call,
  toDateTime(${START_SECONDS} + intDiv(intDiv(n * 4, 5) * ${DAYS * 86400}, ${sessionsFor(Math.max(legs, 1))})) AS start_time,
  toUInt64(start_time) * 1000 + intHash64(n + 8) % 1000 AS start_ms, start_ms + 40 AS ring_start_ms,
  toUInt64(2000 + intHash64(n + 9) % 20000) AS ring_ms,
  if(result IN ('Answered', 'Transferred'), ring_start_ms + ring_ms, 0) AS answer_ms,
  toUInt64(if(answer_ms > 0, 30000 + intHash64(n + 10) % 300000, 0)) AS talk_ms,
  toUInt64(if(answer_ms > 0 AND intHash64(n + 11) % 4 = 0, 5000 + intHash64(n + 12) % 60000, 0)) AS hold_ms,
  toUInt32(if(hold_ms > 0, 1 + intHash64(n + 13) % 3, 0)) AS hold_count,
  ring_start_ms + ring_ms + talk_ms + hold_ms AS end_ms, end_ms - start_ms AS duration_ms,
  '' AS park_id, toUInt8(intHash64(n + 14) % 5 = 0) AS recorded, '' AS peer_telephony_session_id,
  toUInt32(4 + hold_count * 2) AS event_count, toUInt64(event_count + 1) AS last_sequence,
  toInt8(1) AS sign, now() AS inserted_at
FROM (SELECT number AS n FROM numbers(${from}, ${count})))`;
}

function sessionsSelect(db: string, sessions: number, from: number, count: number): string {
  return `INSERT INTO ${db}.sessions (${sessionColumns}) SELECT ${sessionColumns} FROM (
SELECT 1 AS schema_version, 1 AS version, '${ACCOUNT_ID}' AS account_id,
  concat('s-bench-', toString(m)) AS telephony_session_id, toString(700000000000 + m) AS session_id, 'Call' AS origin_type,
  if(intHash64(m + 101) % 10 < 7, 'Inbound', 'Outbound') AS direction,
  concat('+1555', toString(1000000 + intHash64(m + 102) % 8999999)) AS from_number, '+18885550142' AS to_number,
  toDateTime(${START_SECONDS} + intDiv(m * ${DAYS * 86400}, ${Math.max(sessions, 1)})) AS start_time,
  toUInt64(start_time) * 1000 + intHash64(m + 103) % 1000 AS start_ms,
  toUInt8(direction = 'Inbound' AND intHash64(m + 104) % 3 = 0) AS in_queue,
  if(in_queue = 1, toString(600000000 + intHash64(m + 105) % ${QUEUES}), '') AS queue_id,
  if(in_queue = 1, concat('Queue ', toString(intHash64(m + 105) % ${QUEUES})), '') AS queue_name,
  if(in_queue = 1, start_ms + 8000, 0) AS queue_enter_ms,
  toUInt8(in_queue = 1 AND intHash64(m + 106) % 10 = 0) AS abandoned,
  toUInt64(if(abandoned = 1, 0, 2000 + intHash64(m + 107) % 60000)) AS wait_ms,
  if(abandoned = 1, 0, if(queue_enter_ms > 0, queue_enter_ms, start_ms) + wait_ms) AS first_answer_ms,
  start_ms + 30000 + intHash64(m + 108) % 300000 AS end_ms, end_ms - start_ms AS duration_ms,
  if(abandoned = 1, '', toString(500000000 + intHash64(m + 109) % ${EXTENSIONS})) AS answered_by_extension_id,
  toUInt32(1 + intHash64(m + 110) % 2) AS leg_count, toUInt32(6) AS event_count, toUInt64(7) AS last_sequence,
  toInt8(1) AS sign, now() AS inserted_at
FROM (SELECT number AS m FROM numbers(${from}, ${count})))`;
}

async function counts(clickhouse: ClickHouseClient, db: string): Promise<{ legs: number; sessions: number } | undefined> {
  const exists = await queryRows<{ n: number }>(
    clickhouse,
    `SELECT count() AS n FROM system.tables WHERE database = '${db}' AND name IN ('legs', 'sessions')`,
  );
  if (Number(exists[0]?.n ?? 0) < 2) return undefined;
  const [row] = await queryRows<{ legs: number; sessions: number }>(
    clickhouse,
    `SELECT (SELECT count() FROM ${escapeIdentifier(db)}.legs) AS legs, (SELECT count() FROM ${escapeIdentifier(db)}.sessions) AS sessions`,
  );
  return row ? { legs: Number(row.legs), sessions: Number(row.sessions) } : undefined;
}

function migrate(database: string): void {
  const result = spawnSync(process.execPath, [`${repoRoot}/services/reporting/dist/cli/migrate.js`], {
    cwd: repoRoot,
    env: { ...process.env, ...serverEnv(), CLICKHOUSE_DATABASE: database, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrate ${database} failed: ${result.stderr || result.stdout}`);
}

/** The dataset of `legs` legs: reused when complete, otherwise (re)created and loaded in chunks of a million rows. */
export async function ensureDataset(clickhouse: ClickHouseClient, legs: number, log: (message: string) => void): Promise<Dataset> {
  const database = datasetDatabase(legs);
  const sessions = sessionsFor(legs);
  const existing = await counts(clickhouse, database);
  if (existing && existing.legs === legs && existing.sessions === sessions) {
    const started = performance.now();
    migrate(database); // the migrations added since it was loaded (e.g. 0010's copies ordered by start: about 2 minutes at 10M)
    return { database, legs, sessions, reused: true, loadSeconds: (performance.now() - started) / 1000 };
  }
  if (existing) log(`${database} has ${existing.legs} legs and ${existing.sessions} sessions, not ${legs} and ${sessions}: reloading it`);
  await dropDatabase(clickhouse, database);
  const started = performance.now();
  migrate(database);
  const db = escapeIdentifier(database);
  for (let from = 0; from < legs; from += CHUNK) {
    await clickhouse.command({
      query: legsSelect(db, legs, from, Math.min(CHUNK, legs - from)),
      clickhouse_settings: { min_insert_block_size_rows: String(LOAD_BLOCK_ROWS) },
    });
    log(`loaded ${Math.min(from + CHUNK, legs)} of ${legs} legs`);
  }
  for (let from = 0; from < sessions; from += CHUNK) {
    await clickhouse.command({ query: sessionsSelect(db, sessions, from, Math.min(CHUNK, sessions - from)) });
  }
  log(`loaded ${sessions} sessions`);
  return { database, legs, sessions, reused: false, loadSeconds: (performance.now() - started) / 1000 };
}
