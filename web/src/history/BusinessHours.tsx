// The account's business hours (admin): the zone, each weekday's opening intervals as text ("09:00-12:30,
// 13:30-17:00"; empty = closed) and the holidays (local dates), saved with setBusinessHours (the API names every bad
// value) or removed with clearBusinessHours. Reports and the explorer switch on them (inside / outside).
import { useEffect, useState } from 'preact/hooks';
import { ask } from './query.js';

const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type Day = (typeof days)[number];
type Hours = Record<Day, Array<{ from: string; to: string }>> & { timeZone: string; holidays: string[] };

const intervals = '{ from to }';
const hoursFields = `timeZone holidays ${days.map((day) => `${day} ${intervals}`).join(' ')}`;

/** "09:00-12:30, 13:30-17:00" as intervals (pure). */
export function parseIntervals(text: string): Array<{ from: string; to: string }> {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [from = '', to = ''] = part.split('-').map((end) => end.trim());
      return { from, to };
    });
}

export function BusinessHoursEditor() {
  const [zone, setZone] = useState('');
  const [texts, setTexts] = useState<Record<Day, string>>(() => Object.fromEntries(days.map((day) => [day, ''])) as Record<Day, string>);
  const [holidays, setHolidays] = useState('');
  const [message, setMessage] = useState('');
  const show = (hours: Hours | null) => {
    setZone(hours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
    setTexts(
      Object.fromEntries(days.map((day) => [day, (hours?.[day] ?? []).map((i) => `${i.from}-${i.to}`).join(', ')])) as Record<Day, string>,
    );
    setHolidays(hours?.holidays.join(', ') ?? '');
  };
  useEffect(() => {
    ask<{ businessHours: Hours | null }>(`{ businessHours { ${hoursFields} } }`).then(
      (data) => {
        show(data.businessHours);
        setMessage(data.businessHours ? '' : 'None set: reports cannot switch to inside or outside business hours.');
      },
      (err: Error) => setMessage(err.message),
    );
  }, []);
  const save = async () => {
    setMessage('Saving…');
    try {
      const hours = {
        timeZone: zone,
        holidays: holidays
          .split(',')
          .map((day) => day.trim())
          .filter(Boolean),
        ...Object.fromEntries(days.map((day) => [day, parseIntervals(texts[day])])),
      };
      const data = await ask<{ setBusinessHours: Hours }>(
        `mutation($h: BusinessHoursInput!) { setBusinessHours(hours: $h) { ${hoursFields} } }`,
        {
          h: hours,
        },
      );
      show(data.setBusinessHours);
      setMessage('Saved.');
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  const clear = async () => {
    try {
      await ask('mutation { clearBusinessHours }');
      show(null);
      setMessage('Removed.');
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return (
    <section class="report-card business-hours">
      <h2>Business hours</h2>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          Time zone
          <input type="text" name="bh-zone" value={zone} onInput={(e) => setZone((e.target as HTMLInputElement).value)} />
        </label>
        {days.map((day) => (
          <label key={day}>
            {day[0]?.toUpperCase()}
            {day.slice(1)}
            <input
              type="text"
              name={`bh-${day}`}
              placeholder="closed"
              value={texts[day]}
              onInput={(e) => setTexts({ ...texts, [day]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
        <label>
          Holidays
          <input
            type="text"
            name="bh-holidays"
            placeholder="2026-12-25, 2026-12-26"
            value={holidays}
            onInput={(e) => setHolidays((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="primary">
          Save business hours
        </button>
        <button type="button" onClick={() => void clear()}>
          Remove
        </button>
      </form>
      {message ? (
        <p class="muted" data-bh-message>
          {message}
        </p>
      ) : null}
    </section>
  );
}
