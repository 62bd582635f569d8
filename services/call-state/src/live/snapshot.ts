// From a folded leg to what the live board shows, and from an extension's active legs to the agent's state.
import type { AgentState, LiveEndpoint, LiveLegSnapshot } from '@callpulse/contracts';
import type { Leg } from '../domain/index.js';

export function toLiveSnapshot(leg: Leg, updatedAtMs: number): LiveLegSnapshot {
  const t = leg.timings;
  return {
    telephonySessionId: leg.telephonySessionId,
    partyId: leg.partyId,
    extensionId: leg.extensionId,
    accountId: leg.accountId,
    direction: leg.direction,
    status: leg.status,
    statusCode: leg.statusCode,
    statusSinceMs: leg.statusSinceMs,
    from: leg.from,
    to: leg.to,
    queueId: leg.queueId,
    queueName: leg.queueName,
    startMs: t.startMs,
    ringStartMs: t.ringStartMs,
    answerMs: t.answerMs,
    endMs: t.endMs,
    ringMs: t.ringMs,
    talkMs: t.talkMs,
    holdMs: t.holdMs,
    holdCount: t.holdCount,
    ended: leg.ended,
    result: leg.result,
    endedBy: leg.endedBy,
    lastSequence: leg.lastSequence,
    muted: leg.muted,
    conferenceRole: leg.conferenceRole,
    updatedAtMs,
  };
}

function sameEndpoint(a: LiveEndpoint, b: LiveEndpoint): boolean {
  return a.phoneNumber === b.phoneNumber && a.name === b.name && a.extensionId === b.extensionId;
}

/** Two snapshots differ for the live board when anything but the update time differs (compared field by field). */
export function sameSnapshot(a: LiveLegSnapshot | undefined, b: LiveLegSnapshot): boolean {
  if (!a) return false;
  for (const field of Object.keys(b) as Array<keyof LiveLegSnapshot>) {
    if (field === 'updatedAtMs') continue;
    const x = a[field];
    const y = b[field];
    if (x === y) continue;
    if (field === 'from' || field === 'to') {
      if (sameEndpoint(x as LiveEndpoint, y as LiveEndpoint)) continue;
    }
    return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

const rank: Record<AgentState, number> = { idle: 0, voicemail: 1, ringing: 2, onHold: 3, talking: 4 };

function legAgentState(leg: LiveLegSnapshot): AgentState {
  switch (leg.status) {
    case 'Talking':
      return 'talking';
    case 'OnHold':
      return 'onHold';
    case 'Setup':
    case 'Ringing':
      return 'ringing';
    case 'Voicemail':
      return 'voicemail';
    default:
      return 'idle'; // parked or ended: the agent is free
  }
}

/** The agent's state from their active legs: talking beats on hold beats ringing beats voicemail beats idle. */
export function agentState(activeLegs: Iterable<LiveLegSnapshot>): AgentState {
  let state: AgentState = 'idle';
  for (const leg of activeLegs) {
    const candidate = legAgentState(leg);
    if (rank[candidate] > rank[state]) state = candidate;
  }
  return state;
}
