// A report period's key as people read it: the API keys an hour as its start with the zone's offset
// (2026-03-02T14:00:00.000+01:00) and a day as its date (2026-03-02), both in the report's zone; shown as
// "Mon 2 Mar, 14:00" and "Mon 2 Mar". Pure: the wall-clock digits are kept, never converted to the browser's zone.
// And a report's whole range as its heading says it (on screen and on paper, where the filter bar's buttons are not).

import { addDays } from './filters.js';

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function periodLabel(key: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(key);
  if (!match) return key;
  const [, year, month, day, hour, minute] = match;
  const date = dayFormat.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))).replace(',', '');
  return hour === undefined ? date : `${date}, ${hour}:${minute}`;
}

/**
 * "Wed 2 Dec 2026" for one day, "Thu 26 Nov - Wed 2 Dec 2026" for days (`to` is the day after the last, as the API
 * takes it); times or instants as given ("2026-03-02T09:00 - 2026-03-02T17:00").
 */
export function rangeLabel(from: string | undefined, to: string | undefined): string {
  if (!from || !to) return 'no range';
  if (!DATE.test(from) || !DATE.test(to)) return `${from} - ${to}`;
  const last = addDays(to, -1);
  const year = (date: string) => date.slice(0, 4);
  if (last <= from) return `${periodLabel(from)} ${year(from)}`;
  const start = year(from) === year(last) ? periodLabel(from) : `${periodLabel(from)} ${year(from)}`;
  return `${start} - ${periodLabel(last)} ${year(last)}`;
}
