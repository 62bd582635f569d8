// todayStats(timeZone): the figures of "today" since local midnight in a time zone, for the live view's KPI strip and
// the agents' today counts. Inbound calls (session summaries) give offered, answered, missed, abandoned, service
// level and average speed of answer; the agents' legs give each agent's calls.
//
// The live half must not query ClickHouse per event: each zone's figures are cached and shared by every dashboard of
// this instance. A completed leg marks the watched zones stale; a zone is read again (two queries) at most once per
// TODAY_REFRESH_MS, however many calls complete and however many dashboards watch.
import { nonCallResults, tableNames } from '@callpulse/contracts';
import { ident, Sql, sql } from '@callpulse/platform';
import { DateTime } from 'luxon';
import { Fanout, type SubscriberTooSlow } from '../live/fanout.js';
import type { LiveEvents } from '../live/live-events.js';
import { QueryBudget } from './clickhouse-gate.js';
import type { QueryRunner, QueryService } from './clickhouse-runner.js';
import { latestLegsInRange } from './leg-filter.js';
import type { TimeRange } from './time-range.js';

export const TODAY_REFRESH_MS = 5000;
/** Zones kept at once; the least recently used one goes first. */
const MAX_ZONES = 24;

export interface AgentToday {
  extensionId: string;
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  talkMs: number;
}

export interface TodayFigures {
  timeZone: string;
  fromMs: number;
  updatedAtMs: number;
  /** Inbound calls that ended today. */
  offered: number;
  /** Answered by an agent. */
  answered: number;
  /** Ended without an answer, the caller not abandoning (voicemail, nobody picked up): offered = answered + missed + abandoned. */
  missed: number;
  /** The caller hung up before any agent answered. */
  abandoned: number;
  answeredWithinServiceLevel: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  averageSpeedOfAnswerMs: number;
  longestWaitMs: number;
  agents: AgentToday[];
}

/** Local midnight of `nowMs` in the zone, as epoch ms. */
export function localMidnight(nowMs: number, timeZone: string): number {
  return DateTime.fromMillis(nowMs, { zone: timeZone }).startOf('day').toMillis();
}

/** Inbound sessions of the range, latest version each (the sessions log read as queue-query.ts reads it). */
export function todaySessionsSql(database: string, range: TimeRange, serviceLevelSeconds: number): Sql {
  const sessions = ident(tableNames.sessions, database).text;
  const where = [
    "direction = 'Inbound'",
    sql`start_time >= toDateTime(${Math.floor(range.fromMs / 1000)})`.text,
    sql`start_time <= toDateTime(${Math.ceil(range.toMs / 1000)})`.text,
    sql`start_ms >= ${range.fromMs} AND start_ms < ${range.toMs}`.text,
  ].join(' AND ');
  const latest =
    `sign = 1 AND ${where} AND (telephony_session_id, version) NOT IN ` +
    `(SELECT telephony_session_id, version FROM ${sessions} WHERE sign = -1 AND ${where})`;
  return new Sql(
    `SELECT count() AS n_offered, countIf(first_answer_ms > 0) AS n_answered, ` +
      `countIf(first_answer_ms = 0 AND abandoned = 1) AS n_abandoned, ` +
      `if(n_answered = 0, 0, avgIf(wait_ms, first_answer_ms > 0)) AS asa_ms, ` +
      `countIf(first_answer_ms > 0 AND wait_ms <= ${sql`${serviceLevelSeconds * 1000}`.text}) AS within_sl, ` +
      `max(if(first_answer_ms > 0, toInt64(wait_ms), 0)) AS longest_wait_ms FROM ${sessions} WHERE ${latest}`,
  );
}

/**
 * Each agent's legs of the range (latest versions, no fax, redirected ring or supervisor's party), by extension id: a
 * GROUP BY alone gives its rows in an order that differs between ClickHouse versions and runs (tools/chdb-compat).
 */
export function todayAgentsSql(database: string, range: TimeRange): Sql {
  return new Sql(
    `SELECT extension_id, count() AS calls, countIf(direction = 'Inbound') AS inbound, countIf(direction = 'Outbound') AS outbound, ` +
      `countIf(result = 'Answered') AS answered, countIf(result = 'Missed') AS missed, sum(talk_ms) AS talk_ms ` +
      `FROM ${latestLegsInRange(database, range, { excludeResults: nonCallResults }).text} GROUP BY extension_id ORDER BY extension_id`,
  );
}

export async function readToday(
  runner: QueryRunner,
  database: string,
  timeZone: string,
  serviceLevelSeconds: number,
  nowMs = Date.now(),
): Promise<TodayFigures> {
  const range: TimeRange = { fromMs: localMidnight(nowMs, timeZone), toMs: nowMs + 1000, timeZone };
  const [sessions, agents] = await Promise.all([
    runner.rows<Record<string, string | number>>('today_sessions', todaySessionsSql(database, range, serviceLevelSeconds)),
    runner.rows<Record<string, string | number>>('today_agents', todayAgentsSql(database, range)),
  ]);
  const row = sessions[0] ?? {};
  const offered = Number(row.n_offered ?? 0);
  const answered = Number(row.n_answered ?? 0);
  const abandoned = Number(row.n_abandoned ?? 0);
  const within = Number(row.within_sl ?? 0);
  return {
    timeZone,
    fromMs: range.fromMs,
    updatedAtMs: nowMs,
    offered,
    answered,
    missed: Math.max(0, offered - answered - abandoned),
    abandoned,
    answeredWithinServiceLevel: within,
    serviceLevel: offered === 0 ? null : within / offered,
    serviceLevelSeconds,
    averageSpeedOfAnswerMs: Math.round(Number(row.asa_ms ?? 0) || 0),
    longestWaitMs: Number(row.longest_wait_ms ?? 0),
    agents: agents.map((agent) => ({
      extensionId: String(agent.extension_id),
      calls: Number(agent.calls),
      inbound: Number(agent.inbound),
      outbound: Number(agent.outbound),
      answered: Number(agent.answered),
      missed: Number(agent.missed),
      talkMs: Number(agent.talk_ms),
    })),
  };
}

interface Zone {
  value: TodayFigures | undefined;
  reading: Promise<TodayFigures> | undefined;
  stale: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** The cache of today's figures per zone, refreshed on completed legs at most once per refreshMs, and its subscribers. */
export class TodayStats {
  readonly fanout: Fanout<Record<string, TodayFigures>>;
  private readonly zones = new Map<string, Zone>();
  private completed: AsyncIterableIterator<unknown> | undefined;
  private midnightTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      runner: QueryService;
      live: LiveEvents;
      database: string;
      serviceLevelSeconds: number;
      subscriberBuffer: number;
      refreshMs?: number;
    },
  ) {
    this.fanout = new Fanout({ limit: options.subscriberBuffer });
  }

  private get refreshMs(): number {
    return this.options.refreshMs ?? TODAY_REFRESH_MS;
  }

  private zone(timeZone: string): Zone {
    let zone = this.zones.get(timeZone);
    if (zone) {
      this.zones.delete(timeZone); // most recently used last
    } else {
      zone = { value: undefined, reading: undefined, stale: true, timer: undefined };
      if (this.zones.size >= MAX_ZONES) {
        const oldest = [...this.zones.keys()].find((name) => this.fanout.count(name) === 0);
        if (oldest !== undefined) this.zones.delete(oldest);
      }
    }
    this.zones.set(timeZone, zone);
    return zone;
  }

  /** Today's figures in the zone: the cached ones when fresh (younger than refreshMs, same local day, nothing completed since). */
  get(timeZone: string, nowMs = Date.now()): Promise<TodayFigures> {
    const zone = this.zone(timeZone);
    const value = zone.value;
    const fresh = value !== undefined && nowMs - value.updatedAtMs < this.refreshMs && value.fromMs === localMidnight(nowMs, timeZone);
    if (fresh && !zone.stale) return Promise.resolve(value);
    if (fresh && value) {
      this.schedule(timeZone, zone);
      return Promise.resolve(value);
    }
    return this.read(timeZone, zone);
  }

  private read(timeZone: string, zone: Zone): Promise<TodayFigures> {
    zone.reading ??= (async () => {
      zone.stale = false;
      const runner = this.options.runner.scoped({ caller: 'today-stats', budget: new QueryBudget(2) });
      const figures = await readToday(runner, this.options.database, timeZone, this.options.serviceLevelSeconds);
      const changed = JSON.stringify({ ...figures, updatedAtMs: 0 }) !== JSON.stringify({ ...zone.value, updatedAtMs: 0 });
      zone.value = figures;
      if (changed) this.fanout.publish(timeZone, figures);
      return figures;
    })().finally(() => {
      zone.reading = undefined;
    });
    return zone.reading;
  }

  /** Reads the zone again once refreshMs has passed since its last read. */
  private schedule(timeZone: string, zone: Zone): void {
    if (zone.timer) return;
    const age = zone.value ? Date.now() - zone.value.updatedAtMs : this.refreshMs;
    zone.timer = setTimeout(
      () => {
        zone.timer = undefined;
        if (this.fanout.count(timeZone) === 0) return;
        this.read(timeZone, zone).catch(() => {
          zone.stale = true;
        });
      },
      Math.max(0, this.refreshMs - age),
    );
    zone.timer.unref();
  }

  private onCompleted(): void {
    for (const [timeZone, zone] of this.zones) {
      if (this.fanout.count(timeZone) === 0) continue;
      zone.stale = true;
      this.schedule(timeZone, zone);
    }
  }

  /** The zone's figures now, then each change (read after completed legs, at most once per refreshMs). */
  subscribe(timeZone: string, onClose: () => void): AsyncIterableIterator<TodayFigures | SubscriberTooSlow> {
    this.watch();
    return this.fanout.subscribe(timeZone, {
      first: () => this.get(timeZone),
      onClose: () => {
        onClose();
        this.unwatchWhenUnused();
      },
    });
  }

  /** Listens to completed legs (and local midnights) while anyone subscribes. */
  private watch(): void {
    if (this.completed) return;
    const completed = this.options.live.fanout.subscribe('completed');
    this.completed = completed;
    void (async () => {
      for await (const _ of completed) this.onCompleted();
      if (this.completed === completed) this.completed = undefined; // dropped: the next subscriber starts again
    })();
    this.midnightTimer = setInterval(() => {
      const now = Date.now();
      for (const [timeZone, zone] of this.zones) {
        if (this.fanout.count(timeZone) > 0 && zone.value && zone.value.fromMs !== localMidnight(now, timeZone)) {
          zone.stale = true;
          this.schedule(timeZone, zone);
        }
      }
    }, 30_000);
    this.midnightTimer.unref();
  }

  private unwatchWhenUnused(): void {
    for (const timeZone of this.zones.keys()) if (this.fanout.count(timeZone) > 0) return;
    void this.completed?.return?.();
    this.completed = undefined;
    clearInterval(this.midnightTimer);
  }

  stop(): void {
    this.unwatchWhenUnused();
    for (const zone of this.zones.values()) clearTimeout(zone.timer);
  }
}
