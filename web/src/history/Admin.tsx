// The admin page (#/admin, admin key only; others are refused): the monitored-extension manager (search the
// directory, tick extensions or select all matches, preview the change as +N / -M, apply it with the monitored-set
// mutations), the account's business hours, the RingCentral subscription's status with its repair, and the directory
// reload.
import { useEffect, useState } from 'preact/hooks';
import { AlertRulesAdmin } from '../alerts/AlertRulesAdmin.js';
import { role } from '../state/auth.js';
import { timeZone } from '../state/settings.js';
import { BusinessHoursEditor } from './BusinessHours.js';
import { ask } from './query.js';
import { SubscriptionStatus } from './SubscriptionStatus.js';

interface Extension {
  id: string;
  extensionNumber: string;
  name: string;
  type: string;
  status: string;
  monitored: boolean;
}

interface ExtensionPage {
  extensions: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Extension }> };
}

/** Every extension matching the search (all pages, up to 10,000). */
async function directory(search: string): Promise<Extension[]> {
  const found: Extension[] = [];
  let after: string | null = null;
  do {
    const data: ExtensionPage = await ask(
      `query($s: String, $a: String) { extensions(search: $s, first: 500, after: $a) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id extensionNumber name type status monitored } } } }`,
      { s: search || null, a: after },
    );
    found.push(...data.extensions.edges.map((edge) => edge.node));
    after = data.extensions.pageInfo.hasNextPage ? data.extensions.pageInfo.endCursor : null;
  } while (after && found.length < 10_000);
  return found;
}

function MonitoredManager() {
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<Extension[]>([]);
  // The extensions touched: monitored before (as the directory said) and wanted after.
  const [wanted, setWanted] = useState<Map<string, { before: boolean; after: boolean }>>(new Map());
  const [message, setMessage] = useState('');
  const [epoch, setEpoch] = useState(0);
  // Searched as typed (a pause of 200 ms first); an answer to an older search is dropped.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      directory(search).then(
        (found) => live && setMatches(found),
        (err: Error) => live && setMessage(err.message),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search, epoch]);
  const isWanted = (extension: Extension) => wanted.get(extension.id)?.after ?? extension.monitored;
  const setAll = (value: boolean) => {
    const next = new Map(wanted);
    for (const extension of matches) next.set(extension.id, { before: extension.monitored, after: value });
    setWanted(next);
  };
  // The change against the monitored set: over every extension touched, not only the ones shown now.
  const adds: string[] = [];
  const removes: string[] = [];
  for (const [id, { before, after }] of wanted) if (before !== after) (after ? adds : removes).push(id);
  const apply = async () => {
    setMessage('Applying…');
    try {
      if (adds.length) await ask('mutation($ids: [ID!]!) { addMonitoredExtensions(ids: $ids) { id } }', { ids: adds });
      if (removes.length) await ask('mutation($ids: [ID!]!) { removeMonitoredExtensions(ids: $ids) { id } }', { ids: removes });
      setMessage(`Done: +${adds.length} / -${removes.length}.`);
      setWanted(new Map());
      setEpoch(epoch + 1);
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return (
    <section class="report-card">
      <h2>Monitored extensions</h2>
      <div class="explorer-bar">
        <input
          type="search"
          name="directory-search"
          placeholder="Search name, number or id"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value.trim())}
        />
        <span class="muted" data-matches={matches.length}>
          {matches.length} matches, {matches.filter(isWanted).length} monitored after the change
        </span>
        <button type="button" onClick={() => setAll(true)}>
          Select all matches
        </button>
        <button type="button" onClick={() => setAll(false)}>
          Clear all matches
        </button>
        <span class="preview" data-add={adds.length} data-remove={removes.length}>
          +{adds.length} / -{removes.length}
        </span>
        <button type="button" class="primary" disabled={adds.length + removes.length === 0} onClick={() => void apply()}>
          Apply
        </button>
        {message ? <span class="muted">{message}</span> : null}
      </div>
      <div class="matches">
        <table class="report-table">
          <thead>
            <tr>
              <th>Monitored</th>
              <th>Ext.</th>
              <th>Name</th>
              <th>Type</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {matches.map((extension) => (
              <tr key={extension.id} data-extension-id={extension.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Monitor ${extension.name}`}
                    checked={isWanted(extension)}
                    onChange={(e) =>
                      setWanted(
                        new Map(wanted).set(extension.id, { before: extension.monitored, after: (e.target as HTMLInputElement).checked }),
                      )
                    }
                  />
                </td>
                <td>{extension.extensionNumber}</td>
                <td>{extension.name}</td>
                <td>{extension.type}</td>
                <td>{extension.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Commands() {
  const [message, setMessage] = useState('');
  // Bumped after each command, so the subscription's status is read again (a repair changes it).
  const [version, setVersion] = useState(0);
  const run = async (mutation: string) => {
    setMessage('Working…');
    try {
      const data = await ask<Record<string, { ok: boolean; result: string | null }>>(mutation);
      const answer = Object.values(data)[0];
      setMessage(answer?.ok ? `Done. ${answer.result ?? ''}` : `Failed. ${answer?.result ?? ''}`);
    } catch (err) {
      setMessage((err as Error).message);
    }
    setVersion((old) => old + 1);
  };
  return (
    <section class="report-card ringcentral">
      <h2>RingCentral</h2>
      <SubscriptionStatus timeZone={timeZone.value} version={version} />
      <button type="button" onClick={() => void run('mutation { syncExtensions { ok result } }')}>
        Reload extension directory
      </button>{' '}
      <button type="button" onClick={() => void run('mutation { recreateSubscription { ok result } }')}>
        Recreate the webhook subscription
      </button>
      {message ? <p class="muted">{message}</p> : null}
    </section>
  );
}

export function Admin() {
  if (role.value !== 'admin') {
    return (
      <section class="admin-page">
        <p class="error" role="alert">
          The admin page needs an admin API key.
        </p>
      </section>
    );
  }
  return (
    <section class="admin-page">
      <MonitoredManager />
      <BusinessHoursEditor />
      <Commands />
      <AlertRulesAdmin />
    </section>
  );
}
