// Pure parts of the dashboard: formatting, threshold levels, the wallboard's fragment options, live leg timers.
import { describe, expect, it } from 'vitest';
import { clockTime, duration, endpointText, percent, shortDuration, validZone } from '../src/format.js';
import { level, worst } from '../src/thresholds.js';
import { wallOptions } from '../src/views/wall-options.js';

describe('format', () => {
  it('durations as m:ss and h:mm:ss, never negative', () => {
    expect(duration(0)).toBe('0:00');
    expect(duration(7_900)).toBe('0:07');
    expect(duration(245_000)).toBe('4:05');
    expect(duration(3_723_000)).toBe('1:02:03');
    expect(duration(-5000)).toBe('0:00');
    expect(shortDuration(12_400)).toBe('12 s');
    expect(shortDuration(75_000)).toBe('1:15');
  });
  it('clock times in the chosen zone', () => {
    const at = Date.UTC(2026, 2, 2, 14, 5, 9);
    expect(clockTime(at, 'UTC')).toBe('14:05:09');
    expect(clockTime(at, 'Asia/Kolkata', false)).toBe('19:35');
  });
  it('percent, zones and endpoints', () => {
    expect(percent(0.834)).toBe('83%');
    expect(percent(null)).toBe('–');
    expect(validZone('europe/berlin')).toBe('Europe/Berlin');
    expect(validZone('Mars/Olympus')).toBe('UTC');
    expect(endpointText({ name: 'Dana', phoneNumber: '+1555' })).toBe('Dana · +1555');
    expect(endpointText({ name: null, phoneNumber: '+1555' })).toBe('+1555');
  });
});

describe('thresholds', () => {
  it('rising and falling limits', () => {
    expect(level(10, { warn: 15, alarm: 30 })).toBe('ok');
    expect(level(15, { warn: 15, alarm: 30 })).toBe('warn');
    expect(level(31, { warn: 15, alarm: 30 })).toBe('alarm');
    expect(level(null, { warn: 15, alarm: 30 })).toBe('ok');
    expect(level(85, { warn: 80, alarm: 60, lowIsBad: true })).toBe('ok');
    expect(level(75, { warn: 80, alarm: 60, lowIsBad: true })).toBe('warn');
    expect(level(50, { warn: 80, alarm: 60, lowIsBad: true })).toBe('alarm');
    expect(worst('ok', 'warn')).toBe('warn');
    expect(worst('warn', 'alarm', 'ok')).toBe('alarm');
  });
});

describe('wallboard options', () => {
  it('reads pages, queues and the period from the fragment', () => {
    expect(wallOptions('#/wall')).toEqual({ pages: ['kpis', 'queues', 'agents'], queues: undefined, everyS: 20 });
    expect(wallOptions('#/wall?pages=queues,bogus&queues=Sales, Support&every=10')).toEqual({
      pages: ['queues'],
      queues: ['Sales', 'Support'],
      everyS: 10,
    });
    expect(wallOptions('#/wall?pages=&every=1').pages).toEqual(['kpis']);
    expect(wallOptions('#/wall?every=1').everyS).toBe(20);
  });
});
