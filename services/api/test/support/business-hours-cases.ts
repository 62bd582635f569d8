// Business hours the business-hours tests share: zones with every kind of clock change (a whole hour, Lord Howe's half
// hour), :30 and :45 offsets, holidays, split days and a whole open Sunday; and 2026's months, UTC.
import { type BusinessHours, businessHoursSchema } from '@callpulse/contracts';
import type { TimeRange } from '../../src/history/time-range.js';

const closed = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };

export const hoursIn = (timeZone: string, week: Partial<BusinessHours['week']>, holidays: string[] = []): BusinessHours =>
  businessHoursSchema.parse({ timeZone, week: { ...closed, ...week }, holidays, updatedAtMs: 0 });

export const nine = [{ from: '09:00', to: '17:00' }];

/** The cases every form of the business-hours condition is checked on. */
export const businessHoursCases: BusinessHours[] = [
  hoursIn(
    'Europe/Berlin',
    {
      monday: nine,
      tuesday: nine,
      wednesday: [
        { from: '09:00', to: '12:00' },
        { from: '13:00', to: '17:00' },
      ],
      friday: [{ from: '08:15', to: '18:45' }],
      // 2026-03-29 and 2026-10-25, the days the clocks change, all of them
      sunday: [{ from: '00:00', to: '24:00' }],
    },
    ['2026-03-17', '2026-10-26'],
  ),
  hoursIn('America/New_York', { monday: nine, thursday: [{ from: '01:00', to: '03:00' }], saturday: [{ from: '00:00', to: '02:30' }] }, [
    '2026-11-26',
  ]),
  hoursIn('Asia/Kolkata', { monday: [{ from: '09:30', to: '18:15' }], saturday: [{ from: '08:45', to: '12:00' }] }, ['2026-03-10']),
  hoursIn('Asia/Kathmandu', { tuesday: [{ from: '00:00', to: '09:45' }], sunday: nine }),
  // +10:30 in winter, +11 in summer: the clocks change by half an hour
  hoursIn('Australia/Lord_Howe', { sunday: [{ from: '01:00', to: '03:00' }], monday: nine }),
];

/** The months of 2026, UTC. */
export const months2026: TimeRange[] = Array.from(
  { length: 12 },
  (_, i): TimeRange => ({ fromMs: Date.UTC(2026, i, 1), toMs: Date.UTC(2026, i + 1, 1), timeZone: 'UTC' }),
);
