// Formatting for the screen (pure): durations as m:ss or h:mm:ss, clock times and dates in the chosen zone, percents.

/** 0:07, 4:05, 1:02:03; negative durations (clock skew) show as 0:00. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds for small values (ASA, waits): "12 s", else as duration. */
export function shortDuration(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : duration(ms);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    timeFormats.set(key, format);
  }
  return format;
}

/** 14:05:09 in the zone. */
export function clockTime(ms: number, timeZone: string, seconds = true): string {
  return timeFormat(timeZone, seconds).format(ms);
}

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** 1,948 (the browser's grouping). */
export function count(value: number): string {
  return counts.format(value);
}

export function percent(ratio: number | null | undefined): string {
  return ratio == null ? '–' : `${Math.round(ratio * 100)}%`;
}

/** A zone name the browser knows, else UTC. */
export function validZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** The browser's own zone. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A phone number or name of an endpoint for the screen. */
export function endpointText(endpoint: { name: string | null; phoneNumber: string | null } | null | undefined): string {
  if (!endpoint) return '';
  if (endpoint.name && endpoint.phoneNumber) return `${endpoint.name} · ${endpoint.phoneNumber}`;
  return endpoint.name ?? endpoint.phoneNumber ?? '';
}

/** An agent's day in words (the agent board's TODAY tooltip). */
export function todayText(
  today: { calls: number; inbound: number; outbound: number; answered: number; missed: number; talkMs: number } | undefined,
): string {
  if (!today || today.calls === 0) return 'Today: no calls yet';
  return (
    `Today: ${today.calls} ${today.calls === 1 ? 'call' : 'calls'} (${today.inbound} inbound, ${today.outbound} outbound), ` +
    `${today.answered} answered, ${today.missed} missed, ${duration(today.talkMs)} talking`
  );
}

/** A date and time in the zone, with the zone's short name (2036-03-02 10:00 CET). */
export function zonedDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(Date.parse(iso));
  const part = (type: string) => parts.find((one) => one.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** A leg's result with its words spaced ("AnsweredElsewhere" -> "Answered elsewhere"); URLs, filters and CSV keep the value. */
export function resultLabel(result: string): string {
  return result.replace(/([a-z])([A-Z])/g, (_, last: string, next: string) => `${last} ${next.toLowerCase()}`);
}
