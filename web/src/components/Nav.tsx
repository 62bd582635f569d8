// The views' navigation: Live, Calls, Reports and (admin key only) Admin, as hash routes like the wallboard's.
import { role } from '../state/auth.js';

export function Nav({ hash }: { hash: string }) {
  const current = hash.startsWith('#/calls')
    ? 'calls'
    : hash.startsWith('#/reports')
      ? 'reports'
      : hash.startsWith('#/admin')
        ? 'admin'
        : 'live';
  const items: Array<[string, string, string]> = [
    ['live', '#/', 'Live'],
    ['calls', '#/calls', 'Calls'],
    ['reports', '#/reports', 'Reports'],
  ];
  if (role.value === 'admin') items.push(['admin', '#/admin', 'Admin']);
  return (
    <nav class="nav" aria-label="Views">
      {items.map(([id, href, label]) => (
        <a key={id} href={href} class={id === current ? 'current' : undefined} aria-current={id === current ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}
