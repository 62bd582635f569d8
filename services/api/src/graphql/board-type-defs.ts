// The schema of the live board (the dashboard's live half): who the caller is, every monitored agent's state, the
// queues' live figures, today's figures in a time zone and the past hour of the KPI strip, as queries and as
// subscriptions. Added to type-defs.ts.
export const boardTypeDefs = /* GraphQL */ `
  "What the caller's key may do: admin runs mutations, viewer reads, local is a keyless API on loopback (read-only)."
  enum Role {
    admin
    viewer
    local
  }

  type Me {
    role: Role!
  }

  "What a monitored agent is doing, from their active legs (the busiest one wins)."
  enum AgentState {
    idle
    ringing
    talking
    onHold
    voicemail
  }

  "A monitored agent on the live board."
  type AgentLive {
    extensionId: ID!
    "From the directory; null when the directory does not know the extension."
    extensionNumber: String
    name: String
    state: AgentState!
    "Since when the agent is in this state: the busiest leg's status time, or the end of the last call when idle (null: not known)."
    since: String
    "When the agent's last call ended, within the past day (null: none known)."
    idleSince: String
    "The extension's live version: a change with a lower version than one already applied is older; skip it."
    version: Float!
    "The leg that sets the state (null when idle)."
    call: ActiveCall
    "The other side of that leg: the caller of an inbound call, the callee of an outbound one."
    counterpart: Endpoint
    "Every active leg of the agent, oldest first."
    legs: [ActiveCall!]!
  }

  type AgentsChange {
    "true: agents is every monitored agent (the first message, and after a resync); false: only those that changed."
    snapshot: Boolean!
    agents: [AgentLive!]!
    "Agents no longer monitored."
    removed: [ID!]!
    at: String!
  }

  "A queue now, from the monitored agents' legs of its calls."
  type QueueLive {
    queueId: ID!
    queueName: String
    "Calls ringing this queue's agents that no agent answered yet."
    waiting: Int!
    "When the longest-waiting of them started to ring (null when none waits); the wait grows from it."
    longestWaitSince: String
    "Monitored agents seen taking this queue's calls in the past day who are idle now."
    agentsFree: Int!
    agentsBusy: Int!
    agentsKnown: Int!
  }

  "One agent's completed legs since local midnight."
  type AgentToday {
    extensionId: ID!
    calls: Int!
    inbound: Int!
    outbound: Int!
    answered: Int!
    missed: Int!
    talkMs: Float!
  }

  """
  Today since local midnight in timeZone, from completed calls. Inbound calls: offered = answered + missed + abandoned.
  Read from ClickHouse at most once per 5 s per zone and shared by every dashboard, whatever the number of events.
  """
  type TodayStats {
    timeZone: String!
    "Local midnight (UTC ISO-8601)."
    since: String!
    updatedAt: String!
    offered: Int!
    answered: Int!
    "Ended unanswered without the caller abandoning (voicemail, nobody picked up)."
    missed: Int!
    "The caller hung up before any agent answered."
    abandoned: Int!
    answeredWithinServiceLevel: Int!
    "answeredWithinServiceLevel / offered; null when nothing was offered."
    serviceLevel: Float
    serviceLevelSeconds: Int!
    averageSpeedOfAnswerMs: Float!
    longestWaitMs: Float!
    agents: [AgentToday!]!
  }

  "The live board at an instant (a point of the KPI history)."
  type LivePoint {
    at: String!
    "Monitored agents."
    agents: Int!
    idle: Int!
    ringing: Int!
    talking: Int!
    onHold: Int!
    voicemail: Int!
    "Distinct calls among the agents' active legs."
    activeCalls: Int!
    "Calls waiting in queues."
    waiting: Int!
    "How long the longest-waiting call had waited (0 when none waited)."
    longestWaitMs: Float!
  }

  "Today's figures (since local midnight) as they were at an instant: the inbound calls that had ended by then."
  type TodayPoint {
    at: String!
    offered: Int!
    answered: Int!
    missed: Int!
    abandoned: Int!
    "null when nothing was offered."
    serviceLevel: Float
    "null when nothing was answered."
    averageSpeedOfAnswerMs: Float
  }

  """
  The past 60 minutes of the KPI strip, for sparklines. Live points are sampled by the API every liveStepSeconds and
  kept in its memory; the part of the hour before the API instance started is rebuilt once from the calls (ClickHouse's
  completed legs and sessions, Redis's legs in progress; hold counts as talking there). Today's points are read from
  ClickHouse at most once per minute per zone, and shared by every dashboard.
  """
  type KpiHistory {
    timeZone: String!
    "true: the whole hour; false (in kpiHistoryChanged): only the points added since the last message."
    snapshot: Boolean!
    liveStepSeconds: Int!
    todayStepSeconds: Int!
    "Oldest first."
    live: [LivePoint!]!
    "At each whole minute, oldest first."
    today: [TodayPoint!]!
  }

  extend type Query {
    "The caller's role (admin functions show only for admin)."
    me: Me!
    "Every monitored agent, idle ones included."
    agentStates: [AgentLive!]!
    "Each queue's live figures."
    queueLive: [QueueLive!]!
    "Today's figures since local midnight in timeZone (an IANA name)."
    todayStats(timeZone: String = "UTC"): TodayStats!
    "The past 60 minutes of the KPI strip in timeZone (today's figures since its local midnight)."
    kpiHistory(timeZone: String = "UTC"): KpiHistory!
  }

  extend type Subscription {
    "The whole board first, then the agents that changed (batched, at most every 50 ms)."
    agentStatesChanged: AgentsChange!
    "Every queue's live figures, now and at each change."
    queueLiveChanged: [QueueLive!]!
    "Today's figures now, then after calls complete (at most once per 5 s)."
    todayStatsChanged(timeZone: String = "UTC"): TodayStats!
    "The past 60 minutes first (snapshot), then each point as it is added: live ones every 15 s, today's every minute."
    kpiHistoryChanged(timeZone: String = "UTC"): KpiHistory!
  }
`;
