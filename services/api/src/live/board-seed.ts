// What the live board cannot read from Redis, read once from ClickHouse when the board starts (and every few minutes
// after, never per event): when each agent's last call of the past day ended ("idle since"), and which agents took
// each queue's calls (the queue's known agents, for "agents free").
import { tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import type { QueryRunner } from '../history/clickhouse-runner.js';
import type { QueueMembers } from './agent-board.js';

export interface BoardSeed {
  lastEndMs: Map<string, number>;
  queues: Map<string, QueueMembers & { members: Set<string> }>;
}

/** Legs of the past `hours` hours: per extension and queue, the latest end. Superseded versions change no maximum. */
export function boardSeedSql(database: string, nowMs: number, hours = 24): Sql {
  const legs = ident(tableNames.legs, database).text;
  const fromMs = nowMs - hours * 3600_000;
  return new Sql(
    `SELECT extension_id, queue_id, any(queue_name) AS q_name, max(end_ms) AS last_end_ms FROM ${legs} ` +
      `PREWHERE ${sql`start_time >= toDateTime(${Math.floor(fromMs / 1000)})`.text} ` +
      `WHERE sign = 1 GROUP BY extension_id, queue_id`,
  );
}

export async function readBoardSeed(runner: QueryRunner, database: string, nowMs = Date.now()): Promise<BoardSeed> {
  const rows = await runner.rows<{ extension_id: string; queue_id: string; q_name: string; last_end_ms: string | number }>(
    'board_seed',
    boardSeedSql(database, nowMs),
  );
  const seed: BoardSeed = { lastEndMs: new Map(), queues: new Map() };
  for (const row of rows) {
    const end = Number(row.last_end_ms);
    if (end > 0 && end > (seed.lastEndMs.get(row.extension_id) ?? 0)) seed.lastEndMs.set(row.extension_id, end);
    if (row.queue_id === '') continue;
    const queue = seed.queues.get(row.queue_id) ?? { name: row.q_name || null, members: new Set<string>() };
    queue.members.add(row.extension_id);
    seed.queues.set(row.queue_id, queue);
  }
  return seed;
}
