// The arguments of the reports page's statements in the compatibility check: business hours (a whole-hour zone with
// daylight saving in the data's March, a lunch break and holidays; a half-hour zone with quarter-hour openings), the
// calls explorer's newer filters (answered, endedBy, maxima, durations, local weekdays and hours, business hours), and
// the reports' filters. Used by compat.test.ts.
import type { BusinessHours } from '@callpulse/contracts';
import { nonCallResults } from '@callpulse/contracts';
import type { BusinessHoursFilter } from '../../../services/api/src/history/business-hours-sql.js';
import type { LegFilter } from '../../../services/api/src/history/leg-filter.js';

const closed = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
const nine = [{ from: '09:00', to: '17:00' }];

export const berlinHours: BusinessHours = {
  timeZone: 'Europe/Berlin',
  week: {
    ...closed,
    monday: nine,
    tuesday: nine,
    wednesday: [
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '17:00' },
    ],
    thursday: nine,
    friday: nine,
    saturday: [{ from: '10:00', to: '14:00' }],
    sunday: [{ from: '00:00', to: '24:00' }], // 2026-03-29, the day the clocks go forward, all of it
  },
  holidays: ['2026-03-17', '2026-03-30', '2024-05-14'],
  updatedAtMs: 0,
};

export const kolkataHours: BusinessHours = {
  timeZone: 'Asia/Kolkata',
  week: {
    ...closed,
    monday: [{ from: '09:30', to: '18:15' }],
    thursday: [{ from: '09:30', to: '18:15' }],
    saturday: [{ from: '08:45', to: '12:00' }],
  },
  holidays: ['2026-03-10'],
  updatedAtMs: 0,
};

export const businessHoursFilters: BusinessHoursFilter[] = [
  { mode: 'INSIDE', hours: berlinHours },
  { mode: 'OUTSIDE', hours: berlinHours },
  { mode: 'INSIDE', hours: kolkataHours },
];

/** The explorer's newer filters, each alone or combined. */
export const explorerFilters: Array<{ label: string; filter: LegFilter }> = [
  { label: 'answered', filter: { answered: true } },
  { label: 'never answered, ended by the customer', filter: { answered: false, endedBy: ['customer'] } },
  { label: 'maxima', filter: { maxRingMs: 10_000, maxTalkMs: 300_000, maxHoldMs: 60_000 } },
  { label: 'whole duration between', filter: { minDurationMs: 20_000, maxDurationMs: 400_000 } },
  { label: 'local weekdays and hours', filter: { weekdays: [1, 3, 7], hours: [0, 9, 10, 17, 23] } },
  { label: 'no weekday', filter: { weekdays: [] } },
  ...businessHoursFilters.map((businessHours) => ({
    label: `${businessHours.mode} ${businessHours.hours.timeZone} business hours`,
    filter: { businessHours },
  })),
];

/** The reports' filters: the agents' legs, and with the explorer's filters on them. */
export const reportFilters: Array<{ label: string; filter: LegFilter }> = [
  { label: 'the agents` legs', filter: { excludeResults: nonCallResults } },
  { label: 'inbound, two extensions', filter: { direction: 'Inbound', extensionIds: ['ext-1', 'ext-4'], excludeResults: nonCallResults } },
  { label: 'fax and redirected legs named', filter: { results: ['Fax', 'Redirected', 'Answered'] } },
  { label: 'inside Berlin`s business hours', filter: { businessHours: businessHoursFilters[0], excludeResults: nonCallResults } },
  {
    label: 'outside them, weekdays',
    filter: { businessHours: businessHoursFilters[1], weekdays: [1, 2, 3, 4, 5], excludeResults: nonCallResults },
  },
];
