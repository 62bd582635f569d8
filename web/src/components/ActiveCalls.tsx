// Calls in progress: agent, direction, counterpart with the queue under it (never cut), and live ring, talk and hold
// timers, each coloured when it passes its threshold (a long ring, a long hold, a long call). Longest first; virtualised.
import { useComputed } from '@preact/signals';
import { duration, endpointText } from '../format.js';
import { agents, agentVersion, legTimes, orderVersion } from '../state/board.js';
import { now } from '../state/clock.js';
import { thresholds } from '../state/settings.js';
import { level } from '../thresholds.js';
import type { Agent, Leg } from '../types.js';
import { VirtualList } from './VirtualList.js';

const statusText: Record<string, string> = {
  Setup: 'Ringing',
  Ringing: 'Ringing',
  Talking: 'Talking',
  OnHold: 'On hold',
  Voicemail: 'Voicemail',
  Parked: 'Parked',
  Fax: 'Fax',
};

function Times({ leg }: { leg: Leg }) {
  const t = legTimes(leg, now.value);
  const limits = thresholds.value;
  const v = {
    ring: { text: duration(t.ringMs), cls: level(t.ringMs / 1000, limits.ring) },
    talk: { text: t.talkMs > 0 ? duration(t.talkMs) : '–', cls: level((t.talkMs + t.holdMs) / 1000, limits.call) },
    hold: { text: t.holdMs > 0 ? duration(t.holdMs) : '–', cls: level(t.holdMs / 1000, limits.hold) },
  };
  return (
    <>
      <span class={`num t-ring level-${v.ring.cls}`}>{v.ring.text}</span>
      <span class={`num t-talk level-${v.talk.cls}`}>{v.talk.text}</span>
      <span class={`num t-hold level-${v.hold.cls}`}>{v.hold.text}</span>
    </>
  );
}

export function ActiveCalls() {
  const legs = useComputed(() => {
    orderVersion.value;
    const out: Array<{ agent: Agent; leg: Leg }> = [];
    for (const agent of agents.values()) for (const leg of agent.legs) out.push({ agent, leg });
    return out.sort((a, b) => (a.leg.startAt ?? 0) - (b.leg.startAt ?? 0));
  });
  return (
    <section class="panel calls" aria-label="Active calls">
      <header class="panel-head">
        <h2>
          Active calls <span class="count">{legs.value.length}</span>
        </h2>
      </header>
      <div class="call-row call-head" aria-hidden="true">
        <span>Agent</span>
        <span>Status</span>
        <span>With</span>
        <span class="num">Ring</span>
        <span class="num">Talk</span>
        <span class="num">Hold</span>
      </div>
      {legs.value.length === 0 ? (
        <p class="empty">No calls in progress.</p>
      ) : (
        <VirtualList
          items={legs.value}
          rowHeight={44}
          label="Active calls"
          className="call-list"
          render={({ agent, leg }, index) => <CallRow key={index} agentId={agent.extensionId} listed={leg} />}
        />
      )}
    </section>
  );
}

/** A call's row: the leg as it is now (the list's order follows once a second, the row its agent's changes). */
function CallRow({ agentId, listed }: { agentId: string; listed: Leg }) {
  agentVersion(agentId).value;
  const agent = agents.get(agentId);
  const leg = agent?.legs.find(
    (candidate) => candidate.telephonySessionId === listed.telephonySessionId && candidate.partyId === listed.partyId,
  );
  if (!agent || !leg) return <div class="call-row gone" />;
  const party = endpointText(leg.direction === 'Outbound' ? leg.to : leg.from);
  return (
    <div class={`call-row status-${leg.status}`}>
      <span class="call-agent">{agent.name ?? agent.extensionNumber ?? agent.extensionId}</span>
      <span class="call-status">
        {leg.direction === 'Outbound' ? '↗ ' : '↙ '}
        {statusText[leg.status] ?? leg.status}
      </span>
      <span class="call-with" title={[party, leg.queueName].filter(Boolean).join(' · ')}>
        <span class="call-party">{party || 'Unknown caller'}</span>
        {leg.queueName ? <span class="queue-tag">{leg.queueName}</span> : null}
      </span>
      <Times leg={leg} />
    </div>
  );
}
