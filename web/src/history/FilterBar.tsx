// The filter bar of the explorer and the reports: date preset (or custom dates), IANA zone, and for the explorer the
// extension and number search, direction, result, queue (those with calls in the range), minimum ring/talk/hold and
// business hours. Every change is written to the URL fragment (the one source of the view's state), so the view can be
// shared.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { resultLabel, validZone } from '../format.js';
import { callFilter, legResults, type Preset, presets, stateQuery, type ViewState } from './filters.js';
import { ask } from './query.js';

const presetLabels: Record<Preset, string> = { today: 'Today', yesterday: 'Yesterday', '7d': '7 days', '30d': '30 days', custom: 'Custom' };

export function go(route: string, state: ViewState): void {
  window.location.hash = `${route}?${stateQuery(state)}`;
}

function Seconds({ label, value, onChange }: { label: string; value: number | undefined; onChange: (ms: number | undefined) => void }) {
  return (
    <label>
      {label}
      <input
        type="number"
        min="0"
        step="1"
        class="seconds"
        value={value === undefined ? '' : value / 1000}
        onChange={(event) => {
          const text = (event.target as HTMLInputElement).value;
          onChange(text === '' ? undefined : Math.round(Number(text) * 1000));
        }}
      />
    </label>
  );
}

/** Resolves an extension search to the matching extension ids (all pages). */
async function extensionIds(search: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const data: { extensions: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await ask(
        'query($s: String, $a: String) { extensions(search: $s, first: 500, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { s: search, a: after },
      );
    ids.push(...data.extensions.edges.map((edge) => edge.node.id));
    after = data.extensions.pageInfo.hasNextPage ? data.extensions.pageInfo.endCursor : null;
  } while (after && ids.length < 10_000);
  return ids;
}

/** The directory's name and number of one chosen extension ("Tom Whitfield (2004)"); undefined until known. */
function useExtensionName(ids: readonly string[] | undefined): string | undefined {
  const id = ids?.length === 1 ? ids[0] : undefined;
  const [name, setName] = useState<string | undefined>(undefined);
  useEffect(() => {
    setName(undefined);
    if (!id) return;
    let live = true;
    ask<{ extensions: { edges: Array<{ node: { id: string; name: string; extensionNumber: string } }> } }>(
      'query($s: String) { extensions(search: $s, first: 20) { edges { node { id name extensionNumber } } } }',
      { s: id },
    ).then(
      (data) => {
        const found = data.extensions.edges.find((edge) => edge.node.id === id)?.node;
        if (live && found) setName(found.extensionNumber ? `${found.name} (${found.extensionNumber})` : found.name);
      },
      () => undefined, // the id stays shown
    );
    return () => {
      live = false;
    };
  }, [id]);
  return name;
}

/** The queues with calls in the state's range (queueStats), for the queue filter; none until known (or when not shown). */
function useRangeQueues(state: ViewState, shown: boolean): Array<{ queueId: string; queueName: string | null }> {
  const filter = callFilter(state, Date.now());
  const key = shown ? `${filter.from}|${filter.to}|${filter.timeZone}` : '';
  const [queues, setQueues] = useState<Array<{ queueId: string; queueName: string | null }>>([]);
  useEffect(() => {
    if (!key) return;
    let live = true;
    ask<{ queueStats: Array<{ queueId: string; queueName: string | null }> }>(
      'query($from: String, $to: String, $z: String) { queueStats(from: $from, to: $to, timeZone: $z) { queueId queueName } }',
      { from: filter.from, to: filter.to, z: filter.timeZone },
    ).then(
      (data) => live && setQueues([...data.queueStats].sort((a, b) => (a.queueName ?? a.queueId).localeCompare(b.queueName ?? b.queueId))),
      () => undefined, // the filter still works by the ids in the URL
    );
    return () => {
      live = false;
    };
  }, [key]);
  return queues;
}

export function FilterBar({
  route,
  state,
  full,
  actions,
}: {
  route: string;
  state: ViewState;
  full: boolean;
  /** Buttons of the page (e.g. Print), at the right end of the bar; left out of print. */
  actions?: ComponentChildren;
}) {
  const [extSearch, setExtSearch] = useState('');
  const chosenName = useExtensionName(state.list.extensionIds);
  const rangeQueues = useRangeQueues(state, full);
  const queueIds = state.list.queueIds ?? [];
  const set = (change: (next: ViewState) => void) => {
    const next: ViewState = { ...state, text: { ...state.text }, list: { ...state.list }, num: { ...state.num } };
    change(next);
    go(route, next);
  };
  const text = (name: keyof ViewState['text'], value: string) =>
    set((next) => {
      if (value) next.text[name] = value;
      else delete next.text[name];
    });
  const list = (name: keyof ViewState['list'], value: string[] | undefined) =>
    set((next) => {
      if (value?.length) next.list[name] = value;
      else delete next.list[name];
    });
  const num = (name: keyof ViewState['num'], value: number | undefined) =>
    set((next) => {
      if (value === undefined) delete next.num[name];
      else next.num[name] = value;
    });
  return (
    <form class="filters" onSubmit={(event) => event.preventDefault()}>
      <fieldset class="presets" aria-label="Range">
        {presets.map((preset) => (
          <button
            type="button"
            key={preset}
            class={state.preset === preset ? 'current' : undefined}
            aria-pressed={state.preset === preset}
            data-preset={preset}
            onClick={() =>
              set((next) => {
                next.preset = preset;
              })
            }
          >
            {presetLabels[preset]}
          </button>
        ))}
      </fieldset>
      {state.preset === 'custom' ? (
        <>
          <label>
            From
            <input
              type="text"
              name="from"
              placeholder="2026-03-02"
              value={state.text.from ?? ''}
              onChange={(e) => text('from', (e.target as HTMLInputElement).value)}
            />
          </label>
          <label>
            To
            <input
              type="text"
              name="to"
              placeholder="2026-03-03"
              value={state.text.to ?? ''}
              onChange={(e) => text('to', (e.target as HTMLInputElement).value)}
            />
          </label>
        </>
      ) : null}
      <label>
        Time zone
        <input
          type="text"
          name="timeZone"
          value={state.text.timeZone ?? ''}
          onChange={(e) => text('timeZone', validZone((e.target as HTMLInputElement).value))}
        />
      </label>
      <label>
        Business hours
        <select
          name="businessHours"
          value={state.text.businessHours ?? 'ANY'}
          onChange={(e) =>
            text('businessHours', (e.target as HTMLSelectElement).value === 'ANY' ? '' : (e.target as HTMLSelectElement).value)
          }
        >
          <option value="ANY">Any time</option>
          <option value="INSIDE">Inside</option>
          <option value="OUTSIDE">Outside</option>
        </select>
      </label>
      {full ? (
        <>
          <label>
            Extension
            <input
              type="search"
              name="extension"
              placeholder={state.list.extensionIds ? `${state.list.extensionIds.length} chosen` : 'name or number'}
              value={extSearch}
              onInput={(e) => setExtSearch((e.target as HTMLInputElement).value)}
              onChange={async (e) => {
                const search = (e.target as HTMLInputElement).value.trim();
                list('extensionIds', search ? await extensionIds(search).then((ids) => (ids.length ? ids : ['none'])) : undefined);
              }}
            />
          </label>
          {state.list.extensionIds ? (
            <button
              type="button"
              class="drill-chip"
              onClick={() => {
                setExtSearch('');
                list('extensionIds', undefined);
              }}
            >
              {state.list.extensionIds.length === 1
                ? (chosenName ?? `Ext. id ${state.list.extensionIds[0]}`)
                : `${state.list.extensionIds.length} extensions`}{' '}
              ✕
            </button>
          ) : null}
          <label>
            Number
            <input
              type="search"
              name="phoneNumber"
              value={state.text.phoneNumber ?? ''}
              onChange={(e) => text('phoneNumber', (e.target as HTMLInputElement).value.trim())}
            />
          </label>
          <label>
            Direction
            <select
              name="direction"
              value={state.text.direction ?? ''}
              onChange={(e) => text('direction', (e.target as HTMLSelectElement).value)}
            >
              <option value="">Both</option>
              <option value="Inbound">Inbound</option>
              <option value="Outbound">Outbound</option>
            </select>
          </label>
          <label>
            Result
            <select
              name="result"
              value={state.list.result?.length === 1 ? state.list.result[0] : state.list.result ? 'several' : ''}
              onChange={(e) => {
                const value = (e.target as HTMLSelectElement).value;
                if (value !== 'several') list('result', value ? [value] : undefined);
              }}
            >
              <option value="">Any</option>
              {state.list.result && state.list.result.length > 1 ? (
                <option value="several">{state.list.result.length} results</option>
              ) : null}
              {legResults.map((result) => (
                <option key={result} value={result}>
                  {resultLabel(result)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Queue
            <select
              name="queueIds"
              value={queueIds.length === 0 ? '' : queueIds.length === 1 ? queueIds[0] : 'several'}
              onChange={(e) => {
                const value = (e.target as HTMLSelectElement).value;
                if (value !== 'several') list('queueIds', value ? [value] : undefined);
              }}
            >
              <option value="">Any</option>
              {queueIds.length > 1 ? <option value="several">{queueIds.length} queues</option> : null}
              {queueIds.length === 1 && !rangeQueues.some((queue) => queue.queueId === queueIds[0]) ? (
                <option value={queueIds[0]}>Queue id {queueIds[0]}</option>
              ) : null}
              {rangeQueues.map((queue) => (
                <option key={queue.queueId} value={queue.queueId}>
                  {queue.queueName || `Queue id ${queue.queueId}`}
                </option>
              ))}
            </select>
          </label>
          <Seconds label="Min. ring s" value={state.num.minRingMs} onChange={(ms) => num('minRingMs', ms)} />
          <Seconds label="Min. talk s" value={state.num.minTalkMs} onChange={(ms) => num('minTalkMs', ms)} />
          <Seconds label="Min. hold s" value={state.num.minHoldMs} onChange={(ms) => num('minHoldMs', ms)} />
          <DrillChips state={state} set={set} />
        </>
      ) : null}
      {actions ? <div class="no-print filter-actions">{actions}</div> : null}
    </form>
  );
}

/** The restrictions a report's drill-down added that the bar has no field for, each removable. */
function DrillChips({ state, set }: { state: ViewState; set: (change: (next: ViewState) => void) => void }) {
  const chips: Array<[string, () => void]> = [];
  if (state.text.answered) chips.push([`answered: ${state.text.answered}`, () => set((n) => void delete n.text.answered)]);
  if (state.text.telephonySessionId) {
    chips.push([`session: ${state.text.telephonySessionId}`, () => set((n) => void delete n.text.telephonySessionId)]);
  }
  for (const name of ['weekdays', 'hours', 'endedBy'] as const) {
    const value = state.list[name];
    if (value) chips.push([`${name}: ${value.join(',')}`, () => set((n) => void delete n.list[name])]);
  }
  for (const name of ['maxRingMs', 'maxTalkMs', 'maxHoldMs', 'minDurationMs', 'maxDurationMs'] as const) {
    const value = state.num[name];
    if (value !== undefined) chips.push([`${name}: ${value}`, () => set((n) => void delete n.num[name])]);
  }
  return (
    <>
      {chips.map(([label, remove]) => (
        <button type="button" class="drill-chip" key={label} onClick={remove}>
          {label} ✕
        </button>
      ))}
    </>
  );
}
