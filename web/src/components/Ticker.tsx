// The ticker of completed calls: the latest ended first, with a result badge, the agent and the durations.
import { clockTime, duration, endpointText, resultLabel } from '../format.js';
import { agents, completed, orderVersion } from '../state/board.js';
import { timeZone } from '../state/settings.js';

const badClass: Record<string, string> = { Answered: 'ok', Missed: 'bad', Voicemail: 'warn', Rejected: 'bad', Busy: 'bad', Failed: 'bad' };

export function Ticker() {
  const calls = completed.value;
  orderVersion.value; // names follow the board (it may load after the calls)
  return (
    <section class="panel ticker" aria-label="Completed calls">
      <header class="panel-head">
        <h2>Just completed</h2>
      </header>
      {calls.length === 0 ? (
        <p class="empty">Completed calls appear here as they end.</p>
      ) : (
        <ol class="ticker-list">
          {calls.map((call) => {
            const agent = agents.get(call.extensionId);
            return (
              <li key={`${call.telephonySessionId}:${call.partyId}`}>
                <span class="ticker-time">{clockTime(Date.parse(call.endTime ?? call.startTime), timeZone.value, false)}</span>
                <span class={`badge ${badClass[call.result] ?? 'neutral'}`} title={resultLabel(call.result)}>
                  {resultLabel(call.result)}
                </span>
                <span class="ticker-agent">{agent?.name ?? call.extensionId}</span>
                <span class="ticker-with">{endpointText(call.direction === 'Outbound' ? call.to : call.from)}</span>
                <span class="ticker-dur num">{call.talkMs > 0 ? duration(call.talkMs) : `rang ${duration(call.ringMs)}`}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
