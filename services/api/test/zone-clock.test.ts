// ZoneClock (the CSV export's times in a zone) against luxon's ISO text of the same instant, the slow and sure way:
// random instants over four-digit years and around every offset change, in zones with half-hour, quarter-hour and
// (before 1972) second offsets (UTC's offset written +00:00, not Z); the minutes it keeps must never make an instant
// read as another.
import { createRandom } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../src/history/call-csv.js';
import { isoInZone } from '../src/history/time-range.js';

const rand = createRandom(20261201).next;
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

describe('ZoneClock', () => {
  it('writes every instant as luxon does, in every kind of zone', () => {
    for (const zone of [
      'UTC',
      'America/New_York',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Africa/Monrovia',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ]) {
      const clock = new ZoneClock(zone);
      for (let i = 0; i < 3000; i++) {
        // Half anywhere in 1970-9999, half within days of 2026 (the same minutes met again, as in an export).
        const ms = rand() < 0.5 ? Math.floor(rand() * LAST_FOUR_DIGIT_YEAR_MS) : 1_767_225_600_000 + Math.floor(rand() * 5 * 86_400_000);
        const expected = isoInZone(ms, zone).replace(/Z$/, '+00:00'); // luxon writes UTC's offset as Z
        expect(clock.isoMs(ms)).toBe(expected);
        expect(clock.iso(new Date(ms).toISOString())).toBe(expected);
      }
    }
  });

  it('keeps an instant whose local year has five digits in UTC, as stored', () => {
    const clock = new ZoneClock('Europe/Berlin');
    expect(clock.isoMs(LAST_FOUR_DIGIT_YEAR_MS + 1)).toBeUndefined();
    expect(clock.isoMs(LAST_FOUR_DIGIT_YEAR_MS)).toBe('9999-12-31T23:59:59.999Z'); // 10000-01-01 in Berlin
    expect(clock.iso('9999-12-31T22:59:59.999Z')).toBe('9999-12-31T23:59:59.999+01:00');
  });
});
