// The live view for supervisors: header (health, zone, settings, admin, sign out), the KPI strip, the agent board,
// and beside it the queues, the calls in progress and the ticker of completed calls.
import { useState } from 'preact/hooks';
import { ActiveCalls } from '../components/ActiveCalls.js';
import { AgentBoard } from '../components/AgentBoard.js';
import { Health } from '../components/Health.js';
import { KpiStrip } from '../components/KpiStrip.js';
import { Nav } from '../components/Nav.js';
import { QueueTable } from '../components/QueueTable.js';
import { Settings } from '../components/Settings.js';
import { Ticker } from '../components/Ticker.js';
import { clockTime } from '../format.js';
import { apiKey, role, signOut } from '../state/auth.js';
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
      <header class="topbar">
        <h1>
          callpulse <span class="sub">Live</span>
        </h1>
        <Nav hash={hash} />
        <Health />
        <span class="spacer" />
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
        {role.value === 'viewer' ? <span class="role">viewer</span> : null}
        {apiKey.value ? (
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </header>
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
