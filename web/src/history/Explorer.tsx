// The calls explorer (#/calls): the filter bar, the total count, the legs sorted on the server and loaded page by
// page over the cursors as the table is scrolled to its end, a column chooser, the CSV download, and the call drawer.
import { useEffect, useRef, useState } from 'preact/hooks';
import { count, resultLabel } from '../format.js';
import { CallDrawer } from './CallDrawer.js';
import { type CallRow, callFields, columns, loadColumns, saveColumns } from './columns.js';
import { FilterBar, go } from './FilterBar.js';
import { callFilter, exportQuery, type ViewState } from './filters.js';
import { ask, downloadCsv } from './query.js';

const PAGE = 100;
const callsQuery = `query($f: CallFilter, $a: String, $o: CallOrder, $n: Int) { calls(filter: $f, first: $n, after: $a, orderBy: $o) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${callFields} } } } }`;

interface Page {
  calls: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: CallRow }> };
}

export function Explorer({ state, query }: { state: ViewState; query: string }) {
  const [rows, setRows] = useState<CallRow[]>([]);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState(loadColumns);
  const [chooser, setChooser] = useState(false);
  const [open, setOpen] = useState<CallRow | undefined>(undefined);
  const [exporting, setExporting] = useState('');
  const sentinel = useRef<HTMLDivElement>(null);
  const generation = useRef(0);
  const zone = state.text.timeZone || 'UTC';

  const load = async (after: string | null, reset: boolean) => {
    const mine = ++generation.current;
    setBusy(true);
    try {
      const data = await ask<Page>(callsQuery, {
        f: callFilter(state, Date.now()),
        a: after,
        o: { field: state.orderBy, direction: state.orderDirection },
        n: PAGE,
      });
      if (mine !== generation.current) return;
      setError('');
      setTotal(data.calls.totalCount);
      setRows((old) => (reset ? [] : old).concat(data.calls.edges.map((edge) => edge.node)));
      setCursor(data.calls.pageInfo.hasNextPage ? data.calls.pageInfo.endCursor : null);
    } catch (err) {
      if (mine === generation.current) setError((err as Error).message);
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  useEffect(() => {
    setRows([]);
    setTotal(undefined);
    setCursor(null);
    void load(null, true);
  }, [query]);

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !cursor || busy) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void load(cursor, false);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [cursor, busy]);

  const shown = columns.filter((column) => chosen.includes(column.id));
  const toggle = (id: string) => {
    const next = chosen.includes(id)
      ? chosen.filter((other) => other !== id)
      : columns.map((c) => c.id).filter((c) => c === id || chosen.includes(c));
    setChosen(next);
    saveColumns(next);
  };
  const sortBy = (field: string) =>
    go('#/calls', {
      ...state,
      orderBy: field,
      orderDirection: state.orderBy === field && state.orderDirection === 'DESC' ? 'ASC' : 'DESC',
    });

  return (
    <section class="explorer">
      <FilterBar route="#/calls" state={state} full />
      <div class="explorer-bar">
        <span class="total" data-total={total ?? ''}>
          {total === undefined ? 'Loading…' : `${count(total)} ${total === 1 ? 'call' : 'calls'}`}
        </span>
        <span class="spacer" />
        <button
          type="button"
          class="csv"
          onClick={async () => {
            setExporting('Preparing the CSV…');
            try {
              await downloadCsv(exportQuery(state, Date.now()));
              setExporting('');
            } catch (err) {
              setExporting((err as Error).message);
            }
          }}
        >
          Download CSV
        </button>
        {exporting ? <span class="muted">{exporting}</span> : null}
        <div class="chooser">
          <button type="button" aria-expanded={chooser} onClick={() => setChooser(!chooser)}>
            Columns
          </button>
          {chooser ? (
            <div class="menu">
              {columns.map((column) => (
                <label key={column.id}>
                  <input type="checkbox" checked={chosen.includes(column.id)} onChange={() => toggle(column.id)} /> {column.label}
                </label>
              ))}
            </div>
          ) : null}
        </div>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="table-wrap">
        <table class="calls-table">
          <thead>
            <tr>
              {shown.map((column) => (
                <th key={column.id} class={column.numeric ? 'num' : undefined} data-column={column.id}>
                  {column.sort ? (
                    <button type="button" class="link" onClick={() => sortBy(column.sort as string)}>
                      {column.label}
                      {state.orderBy === column.sort ? (state.orderDirection === 'DESC' ? ' ▼' : ' ▲') : ''}
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((call) => (
              <tr
                key={`${call.telephonySessionId}:${call.partyId}`}
                class="call"
                data-session={call.telephonySessionId}
                onClick={() => setOpen(call)}
              >
                {shown.map((column) => (
                  <td key={column.id} class={column.numeric ? 'num' : undefined}>
                    {column.id === 'result' ? (
                      <span class={`result result-${call.result}`}>{resultLabel(call.result)}</span>
                    ) : (
                      column.text(call, zone)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div ref={sentinel} class="sentinel">
          {busy ? 'Loading…' : cursor ? '' : total ? 'End of the list' : total === 0 ? 'No calls match these filters' : ''}
        </div>
      </div>
      {open ? <CallDrawer call={open} timeZone={zone} onClose={() => setOpen(undefined)} /> : null}
    </section>
  );
}
