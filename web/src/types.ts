// The shapes the API sends (services/api/schema.graphql), as the app reads them.

export type AgentStateName = 'idle' | 'ringing' | 'talking' | 'onHold' | 'voicemail';
export type Role = 'admin' | 'viewer' | 'local';

export interface Endpoint {
  phoneNumber: string | null;
  name: string | null;
  extensionId: string | null;
}

export interface Leg {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  direction: 'Inbound' | 'Outbound' | null;
  status: string;
  statusSince: string;
  from: Endpoint;
  to: Endpoint;
  queueId: string | null;
  queueName: string | null;
  startTime: string;
  answerTime: string | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  updatedAt: string;
  /** Parsed once on arrival (state/board.ts): epoch ms of startTime and statusSince. */
  startAt?: number;
  statusAt?: number;
}

export interface Agent {
  extensionId: string;
  extensionNumber: string | null;
  name: string | null;
  state: AgentStateName;
  since: string | null;
  idleSince: string | null;
  version: number;
  counterpart: Endpoint | null;
  legs: Leg[];
  /** Parsed once on arrival: epoch ms of since (null: not known). */
  sinceAt?: number | null;
}

export interface AgentsChange {
  snapshot: boolean;
  agents: Agent[];
  removed: string[];
  at: string;
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
