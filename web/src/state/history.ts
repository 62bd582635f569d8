// The last 60 minutes of each KPI, sampled every 30 s in this browser (kept in localStorage, so a reload or a
// wallboard restart keeps its sparklines), for the KPI strip's sparklines.
import { signal } from '@preact/signals';

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

export interface Sample {
  t: number;
  v: Partial<Record<KpiName, number | null>>;
}

const STORAGE = 'callpulse.history';
const WINDOW_MS = 60 * 60_000;
export const SAMPLE_MS = 30_000;

function load(): Sample[] {
  try {
    const samples = JSON.parse(localStorage.getItem(STORAGE) ?? '[]') as Sample[];
    const from = Date.now() - WINDOW_MS;
    return Array.isArray(samples) ? samples.filter((sample) => sample.t >= from) : [];
  } catch {
    return [];
  }
}

export const history = signal<Sample[]>(load());

export function record(values: Sample['v'], at = Date.now()): void {
  const from = at - WINDOW_MS;
  const samples = [...history.value.filter((sample) => sample.t >= from), { t: at, v: values }];
  history.value = samples;
  try {
    localStorage.setItem(STORAGE, JSON.stringify(samples));
  } catch {
    // storage full or disabled: the sparklines still work for this page
  }
}

/** One KPI's series over the window, for uPlot: [times in seconds, values]. */
export function series(samples: Sample[], name: KpiName): [number[], Array<number | null>] {
  return [samples.map((sample) => sample.t / 1000), samples.map((sample) => sample.v[name] ?? null)];
}
