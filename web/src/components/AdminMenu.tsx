// Admin functions (only for an admin key): reload the extension directory and recreate the webhook subscription.
import { useState } from 'preact/hooks';
import { ApiError, gql } from '../api/http.js';
import { apiKey } from '../state/auth.js';

const commands = {
  sync: { label: 'Reload extension directory', mutation: 'mutation { syncExtensions { ok result } }' },
  subscription: { label: 'Recreate RingCentral subscription', mutation: 'mutation { recreateSubscription { ok result } }' },
} as const;

export function AdminMenu() {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const run = async (name: keyof typeof commands) => {
    setMessage('Working…');
    try {
      await gql(apiKey.value, commands[name].mutation);
      setMessage('Done.');
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'Failed.');
    }
  };
  return (
    <div class="admin" data-admin="true">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Admin
      </button>
      {open ? (
        <div class="menu" role="menu">
          {(Object.keys(commands) as Array<keyof typeof commands>).map((name) => (
            <button type="button" role="menuitem" key={name} onClick={() => void run(name)}>
              {commands[name].label}
            </button>
          ))}
          {message ? <p class="muted">{message}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
