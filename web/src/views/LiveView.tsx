// The live view for supervisors: header (health, zone, settings, admin, sign out), the KPI strip, the agent board,
// and beside it the queues, the calls in progress and the ticker of completed calls.
import { useState } from 'preact/hooks';
import { ActiveCalls } from '../components/ActiveCalls.js';
import { AgentBoard } from '../components/AgentBoard.js';
import { Health } from '../components/Health.js';
import { KpiStrip } from '../components/KpiStrip.js';
import { QueueTable } from '../components/QueueTable.js';
import { Settings } from '../components/Settings.js';
import { Ticker } from '../components/Ticker.js';
import { TopBar } from '../components/TopBar.js';
import { clockTime } from '../format.js';
import { boardLoaded } from '../state/board.js';
import { now } from '../state/clock.js';
import { timeZone } from '../state/settings.js';

function Clock() {
  return <span class="clock">{clockTime(now.value, timeZone.value)}</span>;
}

export function LiveView({ hash }: { hash: string }) {
  const [settings, setSettings] = useState(false);
  return (
    <div class="app">
      <TopBar hash={hash} title="Live" before={<Health />}>
        <span class="zone" title="Time zone of today's figures">
          {timeZone.value}
        </span>
        <Clock />
        <a class="button" href="#/wall">
          Wallboard
        </a>
        <button type="button" onClick={() => setSettings(true)}>
          Settings
        </button>
      </TopBar>
      <KpiStrip />
      {boardLoaded.value ? null : <p class="loading">Loading the board…</p>}
      <main class="live-grid">
        <AgentBoard />
        <div class="side">
          <QueueTable />
          <ActiveCalls />
          <Ticker />
        </div>
      </main>
      {settings ? <Settings onClose={() => setSettings(false)} /> : null}
    </div>
  );
}
