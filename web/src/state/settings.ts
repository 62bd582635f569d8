// Settings kept in this browser (localStorage): the time zone of "today" and of clock times, and the threshold limits
// in seconds (or percent). Changed in the settings panel; every view reads the signals.
import { signal } from '@preact/signals';
import { browserZone, validZone } from '../format.js';
import type { Limits } from '../thresholds.js';

export interface Thresholds {
  ring: Limits;
  hold: Limits;
  call: Limits;
  wait: Limits;
  waiting: Limits;
  serviceLevel: Limits;
  asa: Limits;
  abandoned: Limits;
}

export const defaultThresholds: Thresholds = {
  ring: { warn: 15, alarm: 30 },
  hold: { warn: 60, alarm: 120 },
  call: { warn: 600, alarm: 1200 },
  wait: { warn: 30, alarm: 60 },
  waiting: { warn: 3, alarm: 8 },
  serviceLevel: { warn: 80, alarm: 60, lowIsBad: true },
  asa: { warn: 20, alarm: 40 },
  abandoned: { warn: 5, alarm: 10 },
};

const STORAGE = 'callpulse.settings';

interface Stored {
  timeZone?: string;
  thresholds?: Partial<Thresholds>;
}

function load(): Stored {
  try {
    return JSON.parse(localStorage.getItem(STORAGE) ?? '{}') as Stored;
  } catch {
    return {};
  }
}

const stored = load();
export const timeZone = signal(validZone(stored.timeZone ?? browserZone()));
export const thresholds = signal<Thresholds>({ ...defaultThresholds, ...stored.thresholds });

export function saveSettings(next: { timeZone: string; thresholds: Thresholds }): void {
  timeZone.value = validZone(next.timeZone);
  thresholds.value = next.thresholds;
  localStorage.setItem(STORAGE, JSON.stringify({ timeZone: timeZone.value, thresholds: next.thresholds }));
}
