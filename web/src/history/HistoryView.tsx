// The history views, loaded lazily (their own chunk): the calls explorer (#/calls), the reports (#/reports) and the
// admin page (#/admin, admin key only), under the same top bar and navigation as the live view.
import { TopBar } from '../components/TopBar.js';
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
      <TopBar hash={hash} />
      {route === '#/calls' ? <Explorer state={state} query={query} /> : null}
      {route === '#/reports' ? <Reports state={state} query={query} /> : null}
      {route === '#/admin' ? <Admin /> : null}
    </div>
  );
}
