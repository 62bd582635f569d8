// The history views, loaded lazily (their own chunk): the calls explorer (#/calls), the reports (#/reports) and the
// admin page (#/admin, admin key only), under the same top bar and navigation as the live view.
import { Nav } from '../components/Nav.js';
import { apiKey, role, signOut } from '../state/auth.js';
import { timeZone } from '../state/settings.js';
import { Admin } from './Admin.js';
import { Explorer } from './Explorer.js';
import { parseHash } from './filters.js';
import { Reports } from './Reports.js';
import './history.css';

export function HistoryView({ hash }: { hash: string }) {
  const route = hash.split('?')[0] ?? '';
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const state = parseHash(hash, timeZone.value);
  return (
    <div class="app history">
      <header class="topbar">
        <h1>callpulse</h1>
        <Nav hash={hash} />
        <span class="spacer" />
        {role.value === 'viewer' ? <span class="role">viewer</span> : null}
        {apiKey.value ? (
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </header>
      {route === '#/calls' ? <Explorer state={state} query={query} /> : null}
      {route === '#/reports' ? <Reports state={state} query={query} /> : null}
      {route === '#/admin' ? <Admin /> : null}
    </div>
  );
}
