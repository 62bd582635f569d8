// The past 60 minutes of each KPI for the sparklines, as the API keeps them (kpiHistoryChanged: the whole hour first,
// then each point as it is added; live figures every 15 s, today's every minute), so a page opened now shows the hour
// at once. Points older than the hour drop out.
import { signal } from '@preact/signals';
import type { KpiHistory, LivePoint, TodayPoint } from '../types.js';

export type KpiName =
  | 'available'
  | 'onCall'
  | 'ringing'
  | 'activeCalls'
  | 'waiting'
  | 'longestWait'
  | 'offered'
  | 'answered'
  | 'missed'
  | 'abandoned'
  | 'serviceLevel'
  | 'asa';

export const WINDOW_MS = 60 * 60_000;

export const liveHistory = signal<LivePoint[]>([]);
export const todayHistory = signal<TodayPoint[]>([]);
/** Seconds between points of each series (a longer distance is a gap in the line). */
export const historySteps = signal({ live: 15, today: 60 });

// The browser-sampled history of earlier versions is not used any more.
try {
  localStorage.removeItem('callpulse.history');
} catch {
  // storage disabled
}

/** Appends points newer than the last one kept (a point already received is not added twice), drops those older than the hour. */
function merged<P extends { at: string; atMs: number }>(kept: P[], added: P[], replace: boolean): P[] {
  for (const point of added) point.atMs = Date.parse(point.at);
  const base = replace ? [] : kept;
  const last = base[base.length - 1]?.atMs ?? Number.NEGATIVE_INFINITY;
  const next = [...base, ...added.filter((point) => point.atMs > last)];
  const from = (next[next.length - 1]?.atMs ?? 0) - WINDOW_MS;
  const first = next.findIndex((point) => point.atMs >= from);
  return first <= 0 ? next : next.slice(first);
}

export function applyHistory(message: KpiHistory): void {
  historySteps.value = { live: message.liveStepSeconds, today: message.todayStepSeconds };
  if (message.snapshot || message.live.length > 0) liveHistory.value = merged(liveHistory.value, message.live, message.snapshot);
  if (message.snapshot || message.today.length > 0) todayHistory.value = merged(todayHistory.value, message.today, message.snapshot);
}

export function resetHistory(): void {
  liveHistory.value = [];
  todayHistory.value = [];
}

/** Live figures are drawn per minute (four samples each; a narrow tile has fewer pixels than samples): the mean, or the peak for the queue's waiting figures. */
const peakOf: Partial<Record<KpiName, boolean>> = { waiting: true, longestWait: true };

const liveValue: Partial<Record<KpiName, (point: LivePoint) => number>> = {
  available: (point) => point.idle,
  onCall: (point) => point.talking + point.onHold,
  ringing: (point) => point.ringing,
  activeCalls: (point) => point.activeCalls,
  waiting: (point) => point.waiting,
  longestWait: (point) => point.longestWaitMs / 1000,
};

const todayValue: Partial<Record<KpiName, (point: TodayPoint) => number | null>> = {
  offered: (point) => point.offered,
  answered: (point) => point.answered,
  missed: (point) => point.missed,
  abandoned: (point) => point.abandoned,
  serviceLevel: (point) => (point.serviceLevel === null ? null : point.serviceLevel * 100),
  asa: (point) => (point.averageSpeedOfAnswerMs === null ? null : point.averageSpeedOfAnswerMs / 1000),
};

export interface Series {
  /** [epoch ms, value or null (a gap)], oldest first. */
  points: Array<[number, number | null]>;
  /** Seconds between points. */
  stepS: number;
}

/** One KPI's points over the hour (pure). */
export function seriesOf(name: KpiName, live: LivePoint[], today: TodayPoint[], steps: { live: number; today: number }): Series {
  const fromLive = liveValue[name];
  if (fromLive) return { points: perMinute(live, fromLive, peakOf[name] === true), stepS: Math.max(60, steps.live) };
  const fromToday = todayValue[name];
  return { points: fromToday ? today.map((point) => [point.atMs, fromToday(point)]) : [], stepS: steps.today };
}

/** Points by minute: at the minute's last sample, its samples' mean (or peak). */
function perMinute(points: LivePoint[], value: (point: LivePoint) => number, peak: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let minute = Number.NaN;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  let at = 0;
  const close = () => {
    if (count > 0) out.push([at, peak ? max : Math.round((sum / count) * 10) / 10]);
  };
  for (const point of points) {
    const pointMinute = Math.floor(point.atMs / 60_000);
    if (pointMinute !== minute) {
      close();
      minute = pointMinute;
      sum = 0;
      max = Number.NEGATIVE_INFINITY;
      count = 0;
    }
    const v = value(point);
    sum += v;
    max = Math.max(max, v);
    count += 1;
    at = point.atMs;
  }
  close();
  return out;
}

/** The hour the sparklines show: up to the newest point received. */
export function historyEnd(live: LivePoint[], today: TodayPoint[]): number {
  return Math.max(live[live.length - 1]?.atMs ?? 0, today[today.length - 1]?.atMs ?? 0);
}
