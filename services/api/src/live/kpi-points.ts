// The KPI strip's past hour (pure): a point of the live board's figures (agents by state, calls in progress, calls
// waiting, the longest wait) at an instant; the window of such points kept for 60 minutes; and today's figures at each
// minute of the past hour, summed from per-minute counts of the inbound calls that ended in that minute.
import type { AgentLive, QueueLive } from './agent-board.js';

export const HISTORY_WINDOW_MS = 60 * 60_000;
/** A live point every 15 s (241 in the hour, both ends included). */
export const LIVE_STEP_MS = 15_000;
/** A today point every minute (61 in the hour, both ends included). */
export const TODAY_STEP_MS = 60_000;

/** The live board at an instant. */
export interface LivePoint {
  atMs: number;
  /** Monitored agents. */
  agents: number;
  idle: number;
  ringing: number;
  talking: number;
  onHold: number;
  voicemail: number;
  /** Distinct calls (telephony sessions) among the agents' active legs. */
  activeCalls: number;
  /** Calls waiting in queues. */
  waiting: number;
  /** How long the longest-waiting call had waited (0 when none waits). */
  longestWaitMs: number;
}

/** Today's figures (since local midnight) as they were at an instant: the inbound calls that had ended by then. */
export interface TodayPoint {
  atMs: number;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  /** Answered within the service level over offered; null when nothing was offered. */
  serviceLevel: number | null;
  /** null when nothing was answered. */
  averageSpeedOfAnswerMs: number | null;
}

export function livePointOf(agents: Iterable<AgentLive>, queues: readonly QueueLive[], atMs: number): LivePoint {
  const point: LivePoint = {
    atMs,
    agents: 0,
    idle: 0,
    ringing: 0,
    talking: 0,
    onHold: 0,
    voicemail: 0,
    activeCalls: 0,
    waiting: 0,
    longestWaitMs: 0,
  };
  const sessions = new Set<string>();
  for (const agent of agents) {
    point.agents += 1;
    point[agent.state] += 1;
    for (const leg of agent.legs) sessions.add(leg.telephonySessionId);
  }
  point.activeCalls = sessions.size;
  for (const queue of queues) {
    point.waiting += queue.waiting;
    if (queue.oldestWaitStartMs !== null) point.longestWaitMs = Math.max(point.longestWaitMs, atMs - queue.oldestWaitStartMs);
  }
  return point;
}

/** The points of the window [nowMs - windowMs, nowMs] (older ones dropped), in time order. */
export function withinWindow<T extends { atMs: number }>(points: readonly T[], nowMs: number, windowMs = HISTORY_WINDOW_MS): T[] {
  const from = nowMs - windowMs;
  const first = points.findIndex((point) => point.atMs >= from);
  return first === -1 ? [] : first === 0 ? [...points] : points.slice(first);
}

/** The instants k * stepMs in [nowMs - windowMs, nowMs], oldest first. */
export function stepsUpTo(nowMs: number, stepMs: number, windowMs = HISTORY_WINDOW_MS): number[] {
  const out: number[] = [];
  for (let at = Math.floor(nowMs / stepMs) * stepMs; at >= nowMs - windowMs; at -= stepMs) out.push(at);
  return out.reverse();
}

/**
 * Inbound calls that ended in one minute (`minute`: epoch minutes; the first minute of a read also holds every call
 * that ended before it), of one local day by their start (`today`: started since the latest local midnight).
 */
export interface EndedMinute {
  minute: number;
  today: boolean;
  offered: number;
  answered: number;
  abandoned: number;
  withinServiceLevel: number;
  /** The sum of the answered calls' waits. */
  answeredWaitMs: number;
}

/**
 * Today's figures at each of `instants`: the calls that ended before the instant and started on its local day. An
 * instant on the latest local day (`latestMidnightMs` or later) counts the `today` rows, an earlier one the others
 * (the read starts at the earlier instant's midnight, so those are its day's).
 */
export function todayPointsOf(rows: readonly EndedMinute[], instants: readonly number[], latestMidnightMs: number): TodayPoint[] {
  const sorted = [...rows].sort((a, b) => a.minute - b.minute);
  return instants.map((atMs) => {
    const today = atMs >= latestMidnightMs;
    let offered = 0;
    let answered = 0;
    let abandoned = 0;
    let within = 0;
    let waitMs = 0;
    for (const row of sorted) {
      if (row.minute * 60_000 >= atMs) break;
      if (row.today !== today) continue;
      offered += row.offered;
      answered += row.answered;
      abandoned += row.abandoned;
      within += row.withinServiceLevel;
      waitMs += row.answeredWaitMs;
    }
    return {
      atMs,
      offered,
      answered,
      missed: Math.max(0, offered - answered - abandoned),
      abandoned,
      serviceLevel: offered === 0 ? null : within / offered,
      averageSpeedOfAnswerMs: answered === 0 ? null : Math.round(waitMs / answered),
    };
  });
}

/** Whether two today series agree on the instants both have (a late call changes an instant already sent). */
export function sameWhereBoth(sent: readonly TodayPoint[], read: readonly TodayPoint[]): boolean {
  const byTime = new Map(read.map((point) => [point.atMs, JSON.stringify(point)]));
  return sent.every((point) => {
    const other = byTime.get(point.atMs);
    return other === undefined || other === JSON.stringify(point);
  });
}
