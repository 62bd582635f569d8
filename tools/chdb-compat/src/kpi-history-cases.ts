// The KPI strip's past hour in the compatibility check: today's figures at each minute (today_history) in every zone,
// and what the completed calls say at each 15-second instant (kpi_backfill_legs, kpi_backfill_waiting), read at
// "nows" inside the data: half an hour after queue calls that waited and were answered (so legs and waits span the
// instants), the hours across the daylight-saving changes, and 20 minutes after each zone's midnight (the hour
// crosses it). Used by compat.test.ts, which runs them through its sameApiAnswer.
import type { CompletedRecord } from '@callpulse/contracts';
import type { QueryRunner } from '../../../services/api/src/history/clickhouse-runner.js';
import { localMidnight } from '../../../services/api/src/history/today-stats.js';
import { HISTORY_WINDOW_MS, LIVE_STEP_MS, stepsUpTo } from '../../../services/api/src/live/kpi-points.js';
import { readCompletedAt } from '../../../services/api/src/live/live-backfill.js';
import { readTodayHistory } from '../../../services/api/src/live/today-history.js';

export type SameApiAnswer = <T>(what: string, ask: (runner: QueryRunner) => Promise<T>) => Promise<T>;

/** Instants inside the data where the past hour has legs and waiting queue calls. */
export function kpiNows(records: readonly CompletedRecord[]): number[] {
  const waited = records
    .flatMap((record) =>
      record.kind === 'session' && record.queueEnterMs > 0 && record.firstAnswerMs - record.queueEnterMs > 20_000 ? [record] : [],
    )
    .sort((a, b) => (a.telephonySessionId < b.telephonySessionId ? -1 : 1))
    .slice(0, 4);
  return [
    ...waited.map((record) => record.queueEnterMs + 30 * 60_000),
    Date.parse('2026-03-08T07:20:00Z'), // New York's clocks went forward at 07:00 UTC
    Date.parse('2026-03-29T01:10:00Z'), // Berlin's at 01:00 UTC
    Date.parse('2026-03-02T12:00:00Z'), // the history test's calls
  ];
}

/**
 * Reads the KPI history's statements on both engines through `sameApiAnswer`; returns how much they found (the
 * caller checks the data gave them something to count).
 */
export async function compareKpiHistory(
  sameApiAnswer: SameApiAnswer,
  database: string,
  records: readonly CompletedRecord[],
  zones: readonly string[],
  serviceLevelSeconds = 20,
): Promise<{ offeredToday: number; busyInstants: number; waitingInstants: number }> {
  const found = { offeredToday: 0, busyInstants: 0, waitingInstants: 0 };
  const nows = kpiNows(records);
  for (const nowMs of nows) {
    const completed = await sameApiAnswer('kpi backfill', (runner) =>
      readCompletedAt(runner, database, stepsUpTo(nowMs, LIVE_STEP_MS, HISTORY_WINDOW_MS), nowMs),
    );
    found.busyInstants += completed.filter((row) => row.busy > 0).length;
    found.waitingInstants += completed.filter((row) => row.waiting > 0).length;
  }
  for (const timeZone of zones) {
    const acrossMidnight = localMidnight(Date.parse('2026-03-16T12:00:00Z'), timeZone) + 20 * 60_000;
    for (const nowMs of [...nows, acrossMidnight]) {
      const points = await sameApiAnswer('today history', (runner) =>
        readTodayHistory(runner, database, timeZone, serviceLevelSeconds, nowMs),
      );
      found.offeredToday += points.at(-1)?.offered ?? 0;
    }
  }
  return found;
}
