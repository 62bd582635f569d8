// The zone offsets of time-range.ts (offsetChanges, offsetAt): located once per range, they give what the zone itself
// gives at every quarter hour and around every change, in zones with whole-hour, half-hour and 45-minute offsets and
// a 30-minute daylight saving.
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { offsetAt, offsetChanges } from '../src/history/time-range.js';

const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Adelaide', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];
const QUARTER_MS = 900_000;

describe('offsetChanges and offsetAt', () => {
  it.each(zones)('give the zone’s offset at every quarter hour of 2025, and each change to the millisecond (%s)', (name) => {
    const zone = IANAZone.create(name);
    const fromMs = Date.UTC(2025, 0, 1);
    const toMs = Date.UTC(2026, 0, 1);
    const changes = offsetChanges(zone, fromMs, toMs);
    for (let at = fromMs; at < toMs; at += QUARTER_MS) expect(offsetAt(changes, at), new Date(at).toISOString()).toBe(zone.offset(at));
    for (const change of changes.slice(1)) {
      expect(zone.offset(change.fromMs - 1)).not.toBe(change.offset);
      expect(offsetAt(changes, change.fromMs - 1)).toBe(zone.offset(change.fromMs - 1));
      expect(offsetAt(changes, change.fromMs)).toBe(zone.offset(change.fromMs));
    }
    expect(changes.length).toBe(name === 'America/New_York' || name === 'Europe/Berlin' || name.startsWith('Australia') ? 3 : 1);
  });

  it('holds one offset for a range without a change, and for an empty range', () => {
    const zone = IANAZone.create('Europe/Berlin');
    const july = Date.UTC(2025, 6, 1);
    expect(offsetChanges(zone, july, july + 86_400_000)).toEqual([{ fromMs: july, offset: 120 }]);
    expect(offsetChanges(zone, july, july)).toEqual([{ fromMs: july, offset: 120 }]);
  });
});
