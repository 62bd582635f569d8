// The wallboard (#/wall): full screen, dark, large type for a TV across the room; no menus. Pages rotate; which pages,
// which queues and how fast are chosen in the URL fragment, e.g. #/wall?pages=kpis,queues,agents&queues=Sales&every=20.
// A clock, and a banner when the data is stale or the connection is being re-established.
import { useEffect, useState } from 'preact/hooks';
import { health } from '../components/Health.js';
import { StateIcon } from '../components/Icon.js';
import { KpiTile, kpis } from '../components/KpiStrip.js';
import { QueueTable } from '../components/QueueTable.js';
import { Since } from '../components/Timer.js';
import { clockTime, duration } from '../format.js';
import { agentLevel, agents, counts, orderVersion, stateLabels } from '../state/board.js';
import { now } from '../state/clock.js';
import { timeZone } from '../state/settings.js';
import type { Level } from '../thresholds.js';
import type { Agent } from '../types.js';
import { wallOptions } from './wall-options.js';

/** Cells on the agents page (six rows of four under the counts fill a TV); the last says how many more when they do not fit. */
const AGENT_CELLS = 24;
const urgency: Record<Level, number> = { alarm: 0, warn: 1, ok: 2 };
const stateRank: Record<string, number> = { ringing: 0, onHold: 1, talking: 2, voicemail: 3 };

function AgentsPage() {
  orderVersion.value;
  const at = now.value;
  // What a supervisor must see first: over a red threshold, then ringing and on hold, then the longest calls.
  const busy: Array<{ agent: Agent; level: Level }> = [];
  for (const agent of agents.values()) if (agent.state !== 'idle') busy.push({ agent, level: agentLevel(agent, at) });
  busy.sort(
    (a, b) =>
      (a.level === 'alarm' ? 0 : 1) - (b.level === 'alarm' ? 0 : 1) ||
      (stateRank[a.agent.state] ?? 9) - (stateRank[b.agent.state] ?? 9) ||
      urgency[a.level] - urgency[b.level] ||
      (a.agent.sinceAt ?? 0) - (b.agent.sinceAt ?? 0),
  );
  const c = counts.value;
  const shown = busy.length > AGENT_CELLS ? AGENT_CELLS - 1 : AGENT_CELLS;
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
        {busy.slice(0, shown).map(({ agent, level }) => (
          <div class={`wall-tile state-${agent.state} level-${level}`} key={agent.extensionId}>
            <span class="name">{agent.name ?? agent.extensionNumber ?? agent.extensionId}</span>
            <span class="what">
              <StateIcon state={agent.state} /> {stateLabels[agent.state]}
            </span>
            <Since at={agent.sinceAt ?? null} />
          </div>
        ))}
        {busy.length > shown ? <div class="wall-more">+{busy.length - shown} more agents busy</div> : null}
      </div>
      {busy.length === 0 ? <div class="wall-more">All {c.total} agents available</div> : null}
    </div>
  );
}

export function Wallboard({ hash }: { hash: string }) {
  const options = wallOptions(hash);
  const [index, setIndex] = useState(0);
  const values = kpis();
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
