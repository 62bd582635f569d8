// The agent board: every monitored agent, idle ones included, as rows of name and extension number, state (colour,
// icon and text), time in state (ticking), the counterpart and queue of the current call, and today's counts. Filter
// chips by state, search by name or number, queue filter, "over a threshold only", sort; virtualised.
import { useComputed, useSignal } from '@preact/signals';
import { endpointText, todayText } from '../format.js';
import { agentLevel, agents, agentVersion, counts, orderVersion, stateLabels, stateOrder, todayByAgent } from '../state/board.js';
import { now } from '../state/clock.js';
import type { Agent, AgentStateName, AgentToday } from '../types.js';
import { StateIcon } from './Icon.js';
import { Since } from './Timer.js';
import { VirtualList } from './VirtualList.js';

type SortKey = 'name' | 'extension' | 'state' | 'time';
const ROW_HEIGHT = 44;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const rank: Record<AgentStateName, number> = { ringing: 0, onHold: 1, talking: 2, voicemail: 3, idle: 4 };

const sinceMs = (agent: Agent) => agent.sinceAt ?? Number.POSITIVE_INFINITY;
const sorters: Record<SortKey, (a: Agent, b: Agent) => number> = {
  name: (a, b) => collator.compare(a.name ?? a.extensionId, b.name ?? b.extensionId),
  extension: (a, b) => collator.compare(a.extensionNumber ?? a.extensionId, b.extensionNumber ?? b.extensionId),
  state: (a, b) => rank[a.state] - rank[b.state] || sinceMs(a) - sinceMs(b),
  time: (a, b) => sinceMs(a) - sinceMs(b),
};

/**
 * One agent's row, looked up by id when that agent changes (the list's order follows once a second; the row's content
 * follows its agent in the frame the change arrives). Timers tick by themselves.
 */
function AgentRow({ id, today }: { id: string; today: AgentToday | undefined }) {
  agentVersion(id).value;
  const agent = agents.get(id);
  if (!agent) return <div class="agent-row gone" data-extension-id={id} />;
  const leg = agent.legs.find((candidate) => candidate.status !== 'Ringing') ?? agent.legs[0];
  const at = agent.sinceAt ?? null;
  return (
    <div class={`agent-row state-${agent.state}`} data-extension-id={agent.extensionId}>
      <span class="agent-state">
        <StateIcon state={agent.state} />
        <span class="state-text">{stateLabels[agent.state]}</span>
      </span>
      <span class="agent-name">
        <span class="name">{agent.name ?? `Extension ${agent.extensionId}`}</span>
        <span class="ext">{agent.extensionNumber ? `Ext. ${agent.extensionNumber}` : agent.extensionId}</span>
      </span>
      <LevelledSince agent={agent} at={at} />
      <span class="agent-call">
        {agent.state === 'idle' ? (
          <span class="muted">{at === null ? 'No call today' : 'since last call'}</span>
        ) : (
          <>
            <span class="direction">{leg?.direction === 'Outbound' ? '↗' : '↙'}</span>
            <span class="counterpart">{endpointText(agent.counterpart) || 'Unknown caller'}</span>
          </>
        )}
      </span>
      <span class="agent-queue">{leg?.queueName ?? ''}</span>
      <span class="agent-today" title={todayText(today)}>
        <b class="today-calls">{today?.calls ?? 0}</b>
        <span class="today-answered ok-text">{today?.answered ?? 0}</span>
        <span class="today-missed bad-text">{today?.missed ?? 0}</span>
      </span>
    </div>
  );
}

const TODAY_LEGEND = 'Today since midnight: calls in all (inbound and outbound), answered (talked), missed (inbound, rang, not answered)';

/** Time in state with the threshold colour (recomputed each tick). */
function LevelledSince({ agent, at }: { agent: Agent; at: number | null }) {
  return (
    <span class={`agent-time level-${agentLevel(agent, now.value)}`}>
      <Since at={at} />
    </span>
  );
}

export function AgentBoard() {
  const filter = useSignal<Set<AgentStateName>>(new Set());
  const search = useSignal('');
  const queue = useSignal('');
  const sort = useSignal<SortKey>('state');
  const breachingOnly = useSignal(false);

  const queueNames = useComputed(() => {
    orderVersion.value;
    const names = new Map<string, string>();
    for (const agent of agents.values())
      for (const leg of agent.legs) if (leg.queueId) names.set(leg.queueId, leg.queueName ?? leg.queueId);
    return [...names].sort((a, b) => collator.compare(a[1], b[1]));
  });

  const visible = useComputed(() => {
    orderVersion.value;
    const states = filter.value;
    const needle = search.value.trim().toLowerCase();
    const wantedQueue = queue.value;
    const onlyBreaching = breachingOnly.value;
    const at = onlyBreaching ? now.value : 0;
    const out: Agent[] = [];
    for (const agent of agents.values()) {
      if (states.size > 0 && !states.has(agent.state)) continue;
      if (needle && !(agent.name ?? '').toLowerCase().includes(needle) && !(agent.extensionNumber ?? '').includes(needle)) continue;
      if (wantedQueue && !agent.legs.some((leg) => leg.queueId === wantedQueue)) continue;
      if (onlyBreaching && agentLevel(agent, at) === 'ok') continue;
      out.push(agent);
    }
    return out.sort(sorters[sort.value]);
  });

  const toggle = (state: AgentStateName) => {
    const next = new Set(filter.value);
    if (next.has(state)) next.delete(state);
    else next.add(state);
    filter.value = next;
  };
  const todays = todayByAgent.value;

  return (
    <section class="panel board" aria-label="Agents">
      <header class="panel-head">
        <h2>
          Agents{' '}
          <span class="count">
            {visible.value.length === counts.value.total ? counts.value.total : `${visible.value.length} of ${counts.value.total}`}
          </span>
        </h2>
        <div class="chips">
          {stateOrder.map((state) => (
            <button
              type="button"
              key={state}
              class={`chip state-${state} ${filter.value.has(state) ? 'on' : ''}`}
              aria-pressed={filter.value.has(state)}
              onClick={() => toggle(state)}
            >
              <StateIcon state={state} /> {stateLabels[state]} <b>{counts.value.byState[state]}</b>
            </button>
          ))}
          <button
            type="button"
            class={`chip breach ${breachingOnly.value ? 'on' : ''}`}
            aria-pressed={breachingOnly.value}
            onClick={() => {
              breachingOnly.value = !breachingOnly.value;
            }}
          >
            Over threshold
          </button>
        </div>
        <div class="tools">
          <input
            type="search"
            placeholder="Search name or extension"
            aria-label="Search agents"
            value={search.value}
            onInput={(event) => {
              search.value = (event.target as HTMLInputElement).value;
            }}
          />
          <select
            aria-label="Queue"
            value={queue.value}
            onChange={(event) => {
              queue.value = (event.target as HTMLSelectElement).value;
            }}
          >
            <option value="">All queues</option>
            {queueNames.value.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
          <select
            aria-label="Sort"
            value={sort.value}
            onChange={(event) => {
              sort.value = (event.target as HTMLSelectElement).value as SortKey;
            }}
          >
            <option value="state">Sort: state, longest first</option>
            <option value="time">Sort: time in state</option>
            <option value="name">Sort: name</option>
            <option value="extension">Sort: extension</option>
          </select>
        </div>
      </header>
      <div class="agent-row agent-head" aria-hidden="true">
        <span>State</span>
        <span>Agent</span>
        <span>Time</span>
        <span>Call</span>
        <span>Queue</span>
        <span class="agent-today today-head" title={TODAY_LEGEND}>
          <span class="today-title">Today</span>
          <span class="today-calls">Calls</span>
          <span class="today-answered ok-text">Answered</span>
          <span class="today-missed bad-text">Missed</span>
        </span>
      </div>
      <VirtualList
        items={visible.value}
        rowHeight={ROW_HEIGHT}
        label="Agents"
        className="agent-list"
        render={(agent, index) => <AgentRow key={index} id={agent.extensionId} today={todays.get(agent.extensionId)} />}
      />
    </section>
  );
}
