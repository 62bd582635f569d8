// The RingCentral subscription's status on the admin page (rcSubscription, admin key only): its health as a coloured
// badge (Active green; Expired, Blacklisted, Suspended or a disabled filter red; none amber), RingCentral's status, the
// expiry and the time ingest last recorded it in the chosen zone, the problem and any filter RingCentral disabled.
// The page asks again after a repair (`version` changes).
import { useEffect, useState } from 'preact/hooks';
import { zonedDateTime } from '../format.js';
import { ask } from './query.js';

export interface RcSubscription {
  health: 'ACTIVE' | 'EXPIRED' | 'FAILING' | 'NONE';
  id: string | null;
  status: string | null;
  expiresAt: string | null;
  address: string | null;
  disabledFilters: Array<{ filter: string; reason: string; message: string }>;
  problem: string | null;
  updatedAt: string | null;
}

export const subscriptionQuery = `{ rcSubscription { health id status expiresAt address disabledFilters { filter reason message } problem updatedAt } }`;

/** The badge's words and colour class. */
export function healthBadge(sub: RcSubscription): { text: string; tone: 'ok' | 'warn' | 'alarm' } {
  if (sub.health === 'NONE') return { text: 'No subscription', tone: 'warn' };
  if (sub.health === 'ACTIVE') return { text: sub.status ?? 'Active', tone: 'ok' };
  if (sub.health === 'EXPIRED') return { text: 'Expired', tone: 'alarm' };
  return { text: sub.status && sub.status !== 'Active' ? sub.status : 'Not delivering everything', tone: 'alarm' };
}

export function SubscriptionStatus({ timeZone, version }: { timeZone: string; version: number }) {
  const [sub, setSub] = useState<RcSubscription | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    ask<{ rcSubscription: RcSubscription }>(subscriptionQuery).then(
      (data) => {
        if (!live) return;
        setSub(data.rcSubscription);
        setError('');
      },
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [version]);
  if (error) return <p class="error">{error}</p>;
  if (!sub) return <p class="muted">Loading the subscription…</p>;
  const badge = healthBadge(sub);
  return (
    <div class="subscription" data-health={sub.health}>
      <p>
        Webhook subscription:{' '}
        <span class={`health health-${badge.tone}`} data-status={sub.status ?? ''}>
          {badge.text}
        </span>
      </p>
      {sub.health === 'NONE' ? (
        <p class="muted">
          No ingest instance has recorded a subscription: ingest manages one with RingCentral credentials and RC_WEBHOOK_ADDRESS set.
        </p>
      ) : (
        <dl>
          <dt>Expires</dt>
          <dd data-field="expires">{sub.expiresAt ? zonedDateTime(sub.expiresAt, timeZone) : '–'}</dd>
          <dt>Last checked</dt>
          <dd data-field="updated">{sub.updatedAt ? zonedDateTime(sub.updatedAt, timeZone) : '–'}</dd>
          <dt>Delivers to</dt>
          <dd>{sub.address ?? '–'}</dd>
          <dt>Id</dt>
          <dd>{sub.id}</dd>
        </dl>
      )}
      {sub.problem ? (
        <p class="error" data-field="problem">
          {sub.problem}
        </p>
      ) : null}
      {sub.disabledFilters.length ? (
        <ul class="disabled-filters">
          {sub.disabledFilters.map((one) => (
            <li key={one.filter}>
              Disabled by RingCentral: {one.filter}
              {one.reason || one.message ? ` (${[one.reason, one.message].filter(Boolean).join(': ')})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
