// Every count and sum of every reporting view, read from ClickHouse and computed from the records that should be
// there (the latest version of each leg and session), in the same shape so a test compares them whole.
import type { CompletedLegRecord, CompletedRecord, SessionSummaryRecord } from '@callpulse/contracts';
import type { ClickHouseClient } from '@callpulse/platform';
import { escapeIdentifier } from '@callpulse/platform';

export interface Figures {
  legs: string[];
  sessions: string[];
  extensionHourly: string[];
  maxima: string[];
  queues: string[];
}

const hourOf = (ms: number) => Math.floor(ms / 3_600_000) * 3600;

function latest<R extends CompletedRecord>(records: R[], key: (r: R) => string): R[] {
  const byKey = new Map<string, R>();
  for (const record of records) {
    const seen = byKey.get(key(record));
    if (!seen || record.version > seen.version) byKey.set(key(record), record);
  }
  return [...byKey.values()];
}

function sumBy<R>(items: R[], group: (item: R) => string, values: (item: R) => number[]): string[] {
  const sums = new Map<string, number[]>();
  for (const item of items) {
    const key = group(item);
    const current = sums.get(key);
    const next = values(item);
    sums.set(key, current ? current.map((value, i) => value + (next[i] ?? 0)) : next);
  }
  return [...sums].map(([key, totals]) => `${key}|${totals.join('|')}`).sort();
}

function maxBy<R>(items: R[], group: (item: R) => string, values: (item: R) => number[]): string[] {
  const result = new Map<string, number[]>();
  for (const item of items) {
    const key = group(item);
    const current = result.get(key);
    const next = values(item);
    result.set(key, current ? current.map((value, i) => (i === 0 ? value + 1 : Math.max(value, next[i] ?? 0))) : [1, ...next.slice(1)]);
  }
  return [...result].map(([key, totals]) => `${key}|${totals.join('|')}`).sort();
}

export function expectedFigures(records: CompletedRecord[]): Figures {
  const legs = latest(
    records.filter((r): r is CompletedLegRecord => r.kind === 'leg'),
    (r) => `${r.telephonySessionId}|${r.partyId}`,
  );
  const sessions = latest(
    records.filter((r): r is SessionSummaryRecord => r.kind === 'session'),
    (r) => r.telephonySessionId,
  );
  return {
    legs: legs
      .map((r) => `${r.telephonySessionId}|${r.partyId}|${r.version}|${r.result}|${r.ringMs}|${r.talkMs}|${r.holdMs}|${r.startMs}`)
      .sort(),
    sessions: sessions.map((r) => `${r.telephonySessionId}|${r.version}|${r.waitMs}|${r.abandoned ? 1 : 0}`).sort(),
    extensionHourly: sumBy(
      legs,
      (r) => `${r.extensionId}|${hourOf(r.startMs)}|${r.direction}|${r.result}`,
      (r) => [1, r.ringMs, r.talkMs, r.holdMs, r.holdCount, r.missedCall ? 1 : 0, r.queueCall ? 1 : 0],
    ),
    maxima: maxBy(
      legs,
      (r) => `${r.extensionId}|${hourOf(r.startMs)}|${r.direction}`,
      (r) => [1, r.ringMs, r.talkMs, r.holdMs],
    ),
    queues: sumBy(
      sessions,
      (r) => `${r.queueId}|${hourOf(r.startMs)}|${r.direction}`,
      (r) => [1, r.firstAnswerMs > 0 ? 1 : 0, r.abandoned ? 1 : 0, r.waitMs, r.firstAnswerMs > 0 ? r.waitMs : 0],
    ),
  };
}

async function lines(clickhouse: ClickHouseClient, query: string): Promise<string[]> {
  const result = await clickhouse.query({ query, format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map((row) => Object.values(row).join('|')).sort();
}

export async function readFigures(clickhouse: ClickHouseClient, database: string): Promise<Figures> {
  const db = escapeIdentifier(database);
  return {
    legs: await lines(
      clickhouse,
      `SELECT telephony_session_id, party_id, version, result, ring_ms, talk_ms, hold_ms, start_ms FROM ${db}.legs_latest`,
    ),
    sessions: await lines(clickhouse, `SELECT telephony_session_id, version, wait_ms, abandoned FROM ${db}.sessions_latest`),
    extensionHourly: await lines(
      clickhouse,
      `SELECT extension_id, toUnixTimestamp(hour), direction, result, legs, ring_ms, talk_ms, hold_ms, hold_count, missed_calls, queue_legs
       FROM ${db}.extension_hourly_stats`,
    ),
    maxima: await lines(
      clickhouse,
      `SELECT extension_id, toUnixTimestamp(hour), direction, legs, max_ring_ms, max_talk_ms, max_hold_ms FROM ${db}.extension_hourly_maxima`,
    ),
    queues: await lines(
      clickhouse,
      `SELECT queue_id, toUnixTimestamp(hour), direction, calls, answered, abandoned, wait_ms, answered_wait_ms FROM ${db}.queue_stats`,
    ),
  };
}
