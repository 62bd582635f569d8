// A report period's key as people read it: the API keys an hour as its start with the zone's offset
// (2026-03-02T14:00:00.000+01:00) and a day as its date (2026-03-02), both in the report's zone; shown as
// "Mon 2 Mar, 14:00" and "Mon 2 Mar". Pure: the wall-clock digits are kept, never converted to the browser's zone.

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

export function periodLabel(key: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(key);
  if (!match) return key;
  const [, year, month, day, hour, minute] = match;
  const date = dayFormat.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))).replace(',', '');
  return hour === undefined ? date : `${date}, ${hour}:${minute}`;
}
