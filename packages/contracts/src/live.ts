// Live state that call-state writes to Redis and publishes, and the API reads and pushes to subscribers; and the one
// rule from an agent's active legs to their state, which both apply.
import type { Direction, EndedBy, LegResult } from './records.js';

export type LiveLegStatus = 'Setup' | 'Ringing' | 'Talking' | 'OnHold' | 'Voicemail' | 'Fax' | 'Parked' | 'Ended';

export interface LiveEndpoint {
  phoneNumber: string | null;
  name: string | null;
  extensionId: string | null;
}

/** A leg's times: epoch ms (null when not reached yet), durations in ms (so far while it goes on). */
export interface LegTimes {
  /** The leg's first event (setup). */
  startMs: number;
  ringStartMs: number | null;
  answerMs: number | null;
  endMs: number | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
}

/** A leg as the live board shows it, with its times (LegTimes). */
export interface LiveLegSnapshot extends LegTimes {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  accountId: string | null;
  direction: Direction | null;
  status: LiveLegStatus;
  /** The RingCentral status code of the latest event, as canonicalised (e.g. `Voicemail`). */
  statusCode: string;
  statusSinceMs: number;
  from: LiveEndpoint;
  to: LiveEndpoint;
  queueId: string | null;
  queueName: string | null;
  ended: boolean;
  result: LegResult | null;
  endedBy: EndedBy | null;
  lastSequence: number;
  /** The party's microphone is muted (its latest event said so). */
  muted: boolean;
  /** `Host` or `Participant` of a server-side conference; null otherwise. */
  conferenceRole: string | null;
  updatedAtMs: number;
}

/** What a monitored agent is doing now, from their active legs (the busiest one wins). */
export type AgentState = 'idle' | 'ringing' | 'talking' | 'onHold' | 'voicemail';

/** How busy each state is: talking beats on hold beats ringing beats voicemail beats idle. */
const busyRank: Record<AgentState, number> = { idle: 0, voicemail: 1, ringing: 2, onHold: 3, talking: 4 };

/** What one leg makes its agent: parked, fax and ended legs leave the agent free. */
export function legAgentState(leg: Pick<LiveLegSnapshot, 'status' | 'ended'>): AgentState {
  if (leg.ended) return 'idle';
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
      return 'idle';
  }
}

/** The agent's state from their active legs, and the leg that sets it (the first of the busiest; null when idle). */
export function busiestLeg<L extends Pick<LiveLegSnapshot, 'status' | 'ended'>>(
  activeLegs: Iterable<L>,
): { state: AgentState; leg: L | null } {
  let state: AgentState = 'idle';
  let busiest: L | null = null;
  for (const leg of activeLegs) {
    const candidate = legAgentState(leg);
    if (busyRank[candidate] > busyRank[state]) {
      state = candidate;
      busiest = leg;
    }
  }
  return { state, leg: busiest };
}

export interface LiveSummary {
  total: number;
  idle: number;
  ringing: number;
  talking: number;
  onHold: number;
  voicemail: number;
  activeCalls: number;
}
