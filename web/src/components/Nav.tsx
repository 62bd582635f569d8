// The views' navigation: Live, Calls, Reports, Alerts (with the count of firing alerts) and (admin key only) Admin,
// as hash routes like the wallboard's.
import { alertCounts } from '../alerts/alerts-state.js';
import { role } from '../state/auth.js';

export function Nav({ hash }: { hash: string }) {
  const current = hash.startsWith('#/calls')
    ? 'calls'
    : hash.startsWith('#/reports')
      ? 'reports'
      : hash.startsWith('#/admin')
        ? 'admin'
        : hash.startsWith('#/alerts')
          ? 'alerts'
          : 'live';
  const items: Array<[string, string, string]> = [
    ['live', '#/', 'Live'],
    ['calls', '#/calls', 'Calls'],
    ['reports', '#/reports', 'Reports'],
    ['alerts', '#/alerts', 'Alerts'],
  ];
  if (role.value === 'admin') items.push(['admin', '#/admin', 'Admin']);
  const alerts = alertCounts.value;
  return (
    <nav class="nav" aria-label="Views">
      {items.map(([id, href, label]) => (
        <a key={id} href={href} class={id === current ? 'current' : undefined} aria-current={id === current ? 'page' : undefined}>
          {label}
          {id === 'alerts' && alerts.total > 0 && alerts.worst ? (
            <span class={`alert-count severity-${alerts.worst.toLowerCase()}`} title={`${alerts.total} firing`}>
              {alerts.total}
            </span>
          ) : null}
        </a>
      ))}
    </nav>
  );
}
