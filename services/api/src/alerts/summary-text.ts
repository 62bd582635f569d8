// The readable sentence of an alert transition (pure), for people: the dashboard's banner, Slack, a webhook's summary.
// "Queue Support: 7 calls waiting (threshold 5) for 30 s"; a resolved one says so and for how long it fired.
import type { AlertConditionKind, AlertStatus } from '@callpulse/contracts';

export interface SummaryFacts {
  conditionKind: AlertConditionKind;
  status: AlertStatus;
  subject: string;
  subjectName: string | null;
  value: number | null;
  threshold: number;
  windowMinutes: number | null;
  forSeconds: number;
  atMs: number;
  firedAtMs: number | null;
}

/** 42 s, 3 min 5 s, 2 h 10 min. */
export function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return whole % 60 === 0 ? `${whole / 60} min` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
  const minutes = Math.floor((whole % 3600) / 60);
  return minutes === 0 ? `${Math.floor(whole / 3600)} h` : `${Math.floor(whole / 3600)} h ${minutes} min`;
}

const count = (value: number | null) => (value === null ? '?' : String(Math.round(value)));
const plural = (value: number | null, one: string, many: string) => (value === 1 ? one : many);

/** "Queue Support", but a queue named "Sales Queue" is not called "Queue Sales Queue". */
const queueNamed = (name: string) => (/\bqueue\b/i.test(name) ? name : `Queue ${name}`);

function who(facts: SummaryFacts): string {
  const name = facts.subjectName ?? facts.subject;
  switch (facts.conditionKind) {
    case 'QUEUE_WAITING':
    case 'LONGEST_WAIT':
      return queueNamed(name);
    case 'AGENT_RINGING':
    case 'AGENT_ON_HOLD':
      return `Agent ${name}`;
    case 'NO_EVENTS':
    case 'EVENTS_LATE':
      return 'Pipeline';
    default:
      return facts.subject === 'all' ? 'All calls' : facts.subject === 'extensions' ? 'Selected agents' : queueNamed(name);
  }
}

function what(facts: SummaryFacts): string {
  const { value, threshold } = facts;
  const window = `in the last ${facts.windowMinutes ?? '?'} min`;
  switch (facts.conditionKind) {
    case 'QUEUE_WAITING':
      return `${count(value)} ${plural(value, 'call', 'calls')} waiting (threshold ${threshold})`;
    case 'LONGEST_WAIT':
      return `a call waiting ${duration(value ?? 0)} (threshold ${duration(threshold)})`;
    case 'AGENT_RINGING':
      return `ringing for ${duration(value ?? 0)} (threshold ${duration(threshold)})`;
    case 'AGENT_ON_HOLD':
      return `on hold for ${duration(value ?? 0)} (threshold ${duration(threshold)})`;
    case 'MISSED_CALLS':
      return `${count(value)} missed ${plural(value, 'call', 'calls')} ${window} (threshold ${threshold})`;
    case 'ABANDONED_CALLS':
      return `${count(value)} abandoned ${plural(value, 'call', 'calls')} ${window} (threshold ${threshold})`;
    case 'SERVICE_LEVEL':
      return `service level ${value === null ? '?' : value.toFixed(1)} % ${window} (threshold ${threshold} %)`;
    case 'NO_EVENTS':
      return `no telephony event for ${value === null ? '?' : duration(value)} during business hours (threshold ${duration(threshold)}): check the RingCentral subscription`;
    case 'EVENTS_LATE':
      return `events applied ${value === null ? '?' : duration(value)} after their eventTime (threshold ${duration(threshold)})`;
  }
}

export function summaryText(facts: SummaryFacts): string {
  if (facts.status === 'FIRING') {
    const held = facts.forSeconds > 0 ? ` for ${duration(facts.forSeconds)}` : '';
    return `${who(facts)}: ${what(facts)}${held}`;
  }
  const fired = facts.firedAtMs === null ? '' : ` after ${duration((facts.atMs - facts.firedAtMs) / 1000)}`;
  const now = facts.value === null ? '' : `: now ${what(facts)}`;
  return `Resolved${fired}: ${who(facts)}${now}`;
}
