// Notices legs arriving in ClickHouse: polls the legs table of a database for rows inserted since the watch began,
// and reports each leg (`${telephonySessionId}:${partyId}`) once, with the time it was first seen. Resolution: the
// poll interval plus one query.

import { setTimeout as sleep } from 'node:timers/promises';
import { type ClickHouseClient, escapeIdentifier, list } from '@callpulse/platform';
import { queryRows } from '../support/clickhouse.js';
import { nowMs } from '../support/stats.js';

export class ClickHouseLegWatch {
  private readonly seen = new Map<string, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly clickhouse: ClickHouseClient,
    private readonly database: string,
    private readonly intervalMs = 50,
  ) {
    const sinceSeconds = Math.floor(Date.now() / 1000) - 5;
    this.loop = this.poll(sinceSeconds);
  }

  /** First-seen time of a leg, if seen. */
  seenAt(leg: string): number | undefined {
    return this.seen.get(leg);
  }

  private async poll(sinceSeconds: number): Promise<void> {
    let since = sinceSeconds;
    const table = `${escapeIdentifier(this.database)}.${escapeIdentifier('legs')}`;
    while (this.running) {
      const rows = await queryRows<{ leg: string; at: number }>(
        this.clickhouse,
        `SELECT concat(telephony_session_id, ':', party_id) AS leg, toUInt32(inserted_at) AS at FROM ${table} WHERE sign = 1 AND inserted_at >= toDateTime(${since})`,
      ).catch(() => []);
      const at = nowMs();
      for (const row of rows) {
        if (!this.seen.has(row.leg)) this.seen.set(row.leg, at);
        // Rows of the last second may still be joined by later ones with the same inserted_at: keep a margin.
        since = Math.max(since, Number(row.at) - 2);
      }
      await sleep(this.intervalMs);
    }
  }

  /** Which of `legs` are in the table now, by a direct query (to tell a leg that never came from one the poll missed). */
  async find(legs: string[]): Promise<Set<string>> {
    if (legs.length === 0) return new Set();
    const table = `${escapeIdentifier(this.database)}.${escapeIdentifier('legs')}`;
    const rows = await queryRows<{ leg: string }>(
      this.clickhouse,
      `SELECT concat(telephony_session_id, ':', party_id) AS leg FROM ${table} WHERE sign = 1 AND leg IN (${list(legs).text})`,
    );
    return new Set(rows.map((row) => row.leg));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
