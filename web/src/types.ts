// The shapes the API sends (services/api/schema.graphql), as the app reads them.

export type AgentStateName = 'idle' | 'ringing' | 'talking' | 'onHold' | 'voicemail';
export type Role = 'admin' | 'viewer' | 'local';

/** A party of a call as the live board selects it (the schema's Endpoint also has extensionId, not read here). */
export interface Endpoint {
  phoneNumber: string | null;
  name: string | null;
}

/** A leg in an agentStatesChanged message: only the fields the page reads (state/feed.ts selects them). */
export interface LegMessage {
  telephonySessionId: string;
  partyId: string;
  direction: 'Inbound' | 'Outbound' | null;
  status: string;
  statusSince: string;
  from: Endpoint;
  to: Endpoint;
  queueId: string | null;
  queueName: string | null;
  startTime: string;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  /** When call-state wrote the leg: read only to measure event to screen (state/board.ts), never kept. */
  updatedAt: string;
}

/** An agent in an agentStatesChanged message. */
export interface AgentMessage {
  extensionId: string;
  extensionNumber: string | null;
  name: string | null;
  state: AgentStateName;
  since: string | null;
  version: number;
  counterpart: Endpoint | null;
  legs: LegMessage[];
}

export interface AgentsChange {
  snapshot: boolean;
  agents: AgentMessage[];
  removed: string[];
  at: string;
}

/** A leg as the board keeps it (state/board.ts): times parsed once on arrival, as epoch ms. */
export interface Leg {
  telephonySessionId: string;
  partyId: string;
  direction: 'Inbound' | 'Outbound' | null;
  status: string;
  /** Since when the leg is in its status (statusSince). */
  statusAt: number;
  /** When the call started (startTime). */
  startAt: number;
  from: Endpoint;
  to: Endpoint;
  queueId: string | null;
  queueName: string | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
}

/** An agent as the board keeps it, changed in place by each message. */
export interface Agent {
  extensionId: string;
  extensionNumber: string | null;
  name: string | null;
  state: AgentStateName;
  /** Since when the agent is in this state (since), null when not known. */
  sinceAt: number | null;
  version: number;
  counterpart: Endpoint | null;
  legs: Leg[];
}

export interface QueueLive {
  queueId: string;
  queueName: string | null;
  waiting: number;
  longestWaitSince: string | null;
  agentsFree: number;
  agentsBusy: number;
  agentsKnown: number;
}

export interface AgentToday {
  extensionId: string;
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  talkMs: number;
}

export interface TodayStats {
  timeZone: string;
  since: string;
  updatedAt: string;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  averageSpeedOfAnswerMs: number;
  longestWaitMs: number;
  agents: AgentToday[];
}

export interface CompletedCall {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  direction: 'Inbound' | 'Outbound';
  result: string;
  endTime: string | null;
  startTime: string;
  ringMs: number;
  talkMs: number;
  queueName: string | null;
  from: Endpoint;
  to: Endpoint;
}

/** The live board at an instant (kpiHistory). */
export interface LivePoint {
  at: string;
  agents: number;
  idle: number;
  ringing: number;
  talking: number;
  onHold: number;
  voicemail: number;
  activeCalls: number;
  waiting: number;
  longestWaitMs: number;
  /** Parsed once on arrival: epoch ms of at. */
  atMs: number;
}

/** Today's figures as they were at an instant (kpiHistory). */
export interface TodayPoint {
  at: string;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  serviceLevel: number | null;
  averageSpeedOfAnswerMs: number | null;
  atMs: number;
}

export interface KpiHistory {
  timeZone: string;
  snapshot: boolean;
  liveStepSeconds: number;
  todayStepSeconds: number;
  live: LivePoint[];
  today: TodayPoint[];
}
