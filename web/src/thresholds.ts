// Threshold levels (pure): a value is ok, warn or alarm against its two limits; limits rise (a long ring is bad) or
// fall (a low service level is bad). The limits are settings kept in the browser (state/settings.ts).

export type Level = 'ok' | 'warn' | 'alarm';

export interface Limits {
  warn: number;
  alarm: number;
  /** true: lower values are worse (service level). */
  lowIsBad?: boolean;
}

export function level(value: number | null | undefined, limits: Limits): Level {
  if (value == null || Number.isNaN(value)) return 'ok';
  if (limits.lowIsBad) return value <= limits.alarm ? 'alarm' : value <= limits.warn ? 'warn' : 'ok';
  return value >= limits.alarm ? 'alarm' : value >= limits.warn ? 'warn' : 'ok';
}

export const worst = (...levels: Level[]): Level => (levels.includes('alarm') ? 'alarm' : levels.includes('warn') ? 'warn' : 'ok');
