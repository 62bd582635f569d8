// Live state that call-state writes to Redis and publishes, and the API reads and pushes to subscribers.
import type { Direction, EndedBy, LegResult } from './records.js';

export type LiveLegStatus = 'Setup' | 'Ringing' | 'Talking' | 'OnHold' | 'Voicemail' | 'Fax' | 'Parked' | 'Ended';

export interface LiveEndpoint {
  phoneNumber: string | null;
  name: string | null;
  extensionId: string | null;
}

/** A leg as the live board shows it. Times are epoch ms (null when not reached); durations are ms so far. */
export interface LiveLegSnapshot {
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
  startMs: number;
  ringStartMs: number | null;
  answerMs: number | null;
  endMs: number | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
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

export interface LiveSummary {
  total: number;
  idle: number;
  ringing: number;
  talking: number;
  onHold: number;
  voicemail: number;
  activeCalls: number;
}
