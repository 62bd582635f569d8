// Each queue now: calls waiting, the longest wait (ticking) with its threshold colour, agents free and busy.
import { shortDuration } from '../format.js';
import { queues } from '../state/board.js';
import { now } from '../state/clock.js';
import { thresholds } from '../state/settings.js';
import { level } from '../thresholds.js';
import type { QueueLive } from '../types.js';

function Wait({ queue }: { queue: QueueLive }) {
  if (queue.longestWaitSince === null) return <td class="num">–</td>;
  const ms = Math.max(0, now.value - Date.parse(queue.longestWaitSince));
  return <td class={`num level-${level(ms / 1000, thresholds.value.wait)}`}>{shortDuration(ms)}</td>;
}

export function QueueTable({ only }: { only?: string[] }) {
  const rows = only ? queues.value.filter((queue) => only.includes(queue.queueId) || only.includes(queue.queueName ?? '')) : queues.value;
  return (
    <section class="panel queues" aria-label="Queues">
      <header class="panel-head">
        <h2>Queues</h2>
      </header>
      {rows.length === 0 ? (
        <p class="empty">No queue calls seen yet today.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Queue</th>
              <th class="num">Waiting</th>
              <th class="num">Longest wait</th>
              <th class="num">Free</th>
              <th class="num">Busy</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((queue) => (
              <tr key={queue.queueId}>
                <td>{queue.queueName ?? queue.queueId}</td>
                <td class={`num level-${level(queue.waiting, thresholds.value.waiting)}`}>{queue.waiting}</td>
                <Wait queue={queue} />
                <td class={`num ${queue.agentsFree === 0 && queue.waiting > 0 ? 'level-alarm' : ''}`}>{queue.agentsFree}</td>
                <td class="num">{queue.agentsBusy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
