// The wallboard (#/wall): full screen, dark, large type for a TV across the room; no menus. Pages rotate; which pages,
// which queues and how fast are chosen in the URL fragment, e.g. #/wall?pages=kpis,queues,agents&queues=Sales&every=20.
// A clock, and a banner when the data is stale or the connection is being re-established.
import { useEffect, useState } from 'preact/hooks';
import { health } from '../components/Health.js';
import { StateIcon } from '../components/Icon.js';
import { KpiTile, kpis, useKpiSampler } from '../components/KpiStrip.js';
import { QueueTable } from '../components/QueueTable.js';
import { Since } from '../components/Timer.js';
import { clockTime, duration } from '../format.js';
import { agentLevel, agents, counts, orderVersion, stateLabels } from '../state/board.js';
import { now } from '../state/clock.js';
import { timeZone } from '../state/settings.js';
import type { Agent } from '../types.js';
import { wallOptions } from './wall-options.js';

function AgentsPage() {
  orderVersion.value;
  const at = now.value;
  const busy: Agent[] = [];
  for (const agent of agents.values()) if (agent.state !== 'idle') busy.push(agent);
  busy.sort((a, b) => (a.sinceAt ?? 0) - (b.sinceAt ?? 0));
  const c = counts.value;
  return (
    <div class="wall-agents">
      <div class="wall-counts">
        {(['idle', 'ringing', 'talking', 'onHold'] as const).map((state) => (
          <div class={`wall-count state-${state}`} key={state}>
            <StateIcon state={state} />
            <span class="n">{c.byState[state]}</span>
            <span class="l">{stateLabels[state]}</span>
          </div>
        ))}
      </div>
      <div class="wall-tiles">
        {busy.slice(0, 24).map((agent) => (
          <div class={`wall-tile state-${agent.state} level-${agentLevel(agent, at)}`} key={agent.extensionId}>
            <span class="name">{agent.name ?? agent.extensionNumber ?? agent.extensionId}</span>
            <span class="what">
              <StateIcon state={agent.state} /> {stateLabels[agent.state]}
            </span>
            <Since at={agent.sinceAt ?? null} />
          </div>
        ))}
        {busy.length > 24 ? <div class="wall-more">+{busy.length - 24} more on calls</div> : null}
        {busy.length === 0 ? <div class="wall-more">All {c.total} agents available</div> : null}
      </div>
    </div>
  );
}

export function Wallboard({ hash }: { hash: string }) {
  const options = wallOptions(hash);
  const [index, setIndex] = useState(0);
  const values = kpis();
  useKpiSampler(values);
  const link = health();
  useEffect(() => {
    if (options.pages.length < 2) return;
    const timer = setInterval(() => setIndex((i) => i + 1), options.everyS * 1000);
    return () => clearInterval(timer);
  }, [options.pages.join(','), options.everyS]);
  useEffect(() => {
    document.documentElement.classList.add('wall-mode');
    return () => document.documentElement.classList.remove('wall-mode');
  }, []);
  const page = options.pages[index % options.pages.length] ?? 'kpis';
  const { shown, age } = link.value;
  return (
    <div class="wall" data-page={page}>
      {shown !== 'live' ? (
        <div class="wall-banner" role="alert">
          {shown === 'stale'
            ? `Data is stale: no update for ${duration(age)}`
            : shown === 'refused'
              ? 'API key refused'
              : 'Reconnecting to callpulse…'}
        </div>
      ) : null}
      <header class="wall-head">
        <span class="wall-title">{page === 'kpis' ? 'Contact centre now' : page === 'queues' ? 'Queues' : 'Agents'}</span>
        <span class="wall-clock">{clockTime(now.value, timeZone.value, false)}</span>
      </header>
      {page === 'kpis' ? (
        <div class="wall-kpis">
          {values.value.map((kpi) => (
            <KpiTile key={kpi.name} kpi={kpi} large />
          ))}
        </div>
      ) : page === 'queues' ? (
        <div class="wall-queues">
          <QueueTable only={options.queues} />
        </div>
      ) : (
        <AgentsPage />
      )}
      <footer class="wall-foot">
        {options.pages.map((name, i) => (
          <span key={name} class={i === index % options.pages.length ? 'on' : ''} />
        ))}
      </footer>
    </div>
  );
}
