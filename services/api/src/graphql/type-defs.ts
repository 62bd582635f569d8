// The GraphQL schema (SDL). services/api/schema.graphql is printed from it (npm run schema -w @callpulse/api);
// a test fails when that file is stale. Times are ISO-8601 strings; durations are milliseconds as Float (whole numbers,
// which JSON prints as integers; GraphQL's Int stops at 2^31 ms, about 25 days, and one leg beyond it failed a page).
import { alertTypeDefs } from './alert-type-defs.js';
import { boardTypeDefs } from './board-type-defs.js';
import { reportTypeDefs } from './report-type-defs.js';
import { timelineTypeDefs } from './timeline-type-defs.js';

const coreTypeDefs = /* GraphQL */ `
  "Direction of a leg as seen by the monitored extension."
  enum Direction {
    Inbound
    Outbound
  }

  """
  How a leg ended (docs/call-model.md, "Result of an ended leg"). Fax, Redirected and Supervision legs are no call an
  agent handled: listed by calls, but kept out of callStats, hourlyDensity and today's counters unless a filter names
  them in results.
  """
  enum LegResult {
    Answered
    Missed
    Voicemail
    Cancelled
    Parked
    Transferred
    AnsweredElsewhere
    Rejected
    Busy
    Failed
    "It rang and the call was routed on (CallRedirected, CallerInputRedirect): no missed call of this agent."
    Redirected
    "A fax was received (FaxReceive)."
    Fax
    "A supervisor's party that left for the call it monitors, barges or whispers into (reason Supervising)."
    Supervision
    Unknown
  }

  "Who ended a leg."
  enum EndedBy {
    agent
    customer
    unknown
  }

  "Live status of a leg."
  enum LegStatus {
    Setup
    Ringing
    Talking
    OnHold
    Voicemail
    "Receiving a fax."
    Fax
    Parked
    Ended
  }

  enum CallOrderField {
    START
    "The leg's whole duration (durationMs)."
    DURATION
    RING
    TALK
    HOLD
  }

  enum SortDirection {
    ASC
    DESC
  }

  enum StatsGroupBy {
    EXTENSION
    HOUR
    DAY
    RESULT
    DIRECTION
    QUEUE
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  "One side of a call."
  type Endpoint {
    phoneNumber: String
    name: String
    extensionId: ID
  }

  type Extension {
    id: ID!
    extensionNumber: String!
    name: String!
    "User, Department (call queue), IvrMenu, ParkLocation, ..."
    type: String!
    "Enabled, Disabled, Frozen, NotActivated, Unassigned"
    status: String!
    monitored: Boolean!
  }

  type ExtensionEdge {
    node: Extension!
    cursor: String!
  }

  type ExtensionConnection {
    edges: [ExtensionEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  "Monitored agents by live state, and the calls in progress."
  type LiveSummary {
    total: Int!
    idle: Int!
    ringing: Int!
    talking: Int!
    onHold: Int!
    voicemail: Int!
    "Distinct telephony sessions with an active leg of a monitored extension."
    activeCalls: Int!
  }

  "A leg in progress (or, in activeCallChanged, one that just ended: ended = true)."
  type ActiveCall {
    telephonySessionId: ID!
    partyId: ID!
    extensionId: ID!
    accountId: ID
    direction: Direction
    status: LegStatus!
    "RingCentral's status code of the latest event."
    statusCode: String!
    statusSince: String!
    from: Endpoint!
    to: Endpoint!
    queueId: ID
    queueName: String
    startTime: String!
    ringStartTime: String
    answerTime: String
    endTime: String
    "Durations so far, as of updatedAt (milliseconds, whole numbers)."
    ringMs: Float!
    talkMs: Float!
    holdMs: Float!
    holdCount: Int!
    ended: Boolean!
    result: LegResult
    endedBy: EndedBy
    "The party's microphone is muted."
    muted: Boolean!
    "Host or Participant of a server-side conference; null otherwise."
    conferenceRole: String
    updatedAt: String!
  }

  "The agent of a leg: the directory's entry of its extension."
  type CallAgent {
    extensionNumber: String!
    name: String!
  }

  "A completed leg: one monitored extension's part in one call."
  type Call {
    telephonySessionId: ID!
    sessionId: String!
    partyId: ID!
    extensionId: ID!
    "The extension's name and number from the directory (now); null when the directory does not know it."
    agent: CallAgent
    accountId: ID!
    direction: Direction!
    originType: String!
    result: LegResult!
    "RingCentral's status.reason at the end; null when none."
    endReason: String
    endStatus: String!
    endedBy: EndedBy!
    endedDuringHold: Boolean!
    missedCall: Boolean!
    startTime: String!
    ringStartTime: String
    answerTime: String
    endTime: String
    "Durations in milliseconds (whole numbers)."
    ringMs: Float!
    talkMs: Float!
    holdMs: Float!
    holdCount: Int!
    durationMs: Float!
    queueId: ID
    queueName: String
    from: Endpoint!
    to: Endpoint!
    recorded: Boolean!
    parkId: String
    peerTelephonySessionId: ID
    version: Int!
  }

  type CallEdge {
    node: Call!
    cursor: String!
  }

  type CallConnection {
    edges: [CallEdge!]!
    pageInfo: PageInfo!
    "Legs matching the filter (all pages)."
    totalCount: Int!
  }

  """
  Completed legs to return (calls, the CSV export, and the legs every report counts). from/to: ISO-8601 instants
  (2026-03-02T09:00:00Z) or local dates/times (2026-03-02, 2026-03-02T09:00) read in timeZone; to defaults to now,
  from to 24 hours before to. Lists: null = no filter, [] = nothing matches; a single value may be given for a list.
  Minimums and maximums include their value.
  """
  input CallFilter {
    from: String
    to: String
    timeZone: String
    "One call's legs: its telephony session id (s-...), as in Call.telephonySessionId."
    telephonySessionId: ID
    extensionIds: [ID!]
    direction: Direction
    result: [LegResult!]
    queueIds: [ID!]
    "Part of the caller's or the callee's phone number."
    phoneNumber: String
    "Minimum durations in milliseconds."
    minRingMs: Float
    minTalkMs: Float
    minHoldMs: Float
    "Maximum durations in milliseconds."
    maxRingMs: Float
    maxTalkMs: Float
    maxHoldMs: Float
    "The leg's whole duration (durationMs), at least and at most."
    minDurationMs: Float
    maxDurationMs: Float
    "true: legs that were answered (connected at some point: answerTime set, whatever the result); false: never answered."
    answered: Boolean
    endedBy: [EndedBy!]
    "Days of the week of the start in timeZone: 1 = Monday ... 7 = Sunday."
    weekdays: [Int!]
    "Hours of the day of the start in timeZone, 0-23."
    hours: [Int!]
    "Legs that started inside or outside the account's business hours (businessHours query); ANY: all."
    businessHours: BusinessHoursMode = ANY
  }

  input CallOrder {
    field: CallOrderField! = START
    direction: SortDirection! = DESC
  }

  type ResultCount {
    result: LegResult!
    count: Int!
  }

  "A duration over the legs that had that phase (count of them); totalMs over all legs."
  type DurationStats {
    count: Int!
    totalMs: Float!
    "totalMs / count, rounded."
    averageMs: Float!
    "The longest. Selecting maxMs or p90Ms makes callStats read the legs themselves (slower on long ranges)."
    maxMs: Float!
    "The 90th percentile, exact: the value at rank floor(0.9 * count) (from 0) of the sorted durations, not interpolated."
    p90Ms: Float!
  }

  type StatsGroup {
    """
    The group: extension id, result, direction, queue id ('' = no queue), the day (YYYY-MM-DD in timeZone), or the
    hour's start in timeZone with its offset (2026-03-02T14:30:00.000+05:30).
    """
    key: String!
    "The queue's name when grouped by queue."
    label: String
    "The instant the hour or day begins (UTC ISO-8601), when grouped by HOUR or DAY."
    start: String
    calls: Int!
    inbound: Int!
    outbound: Int!
    byResult: [ResultCount!]!
    ring: DurationStats!
    talk: DurationStats!
    hold: DurationStats!
  }

  type QueueStats {
    queueId: ID!
    queueName: String
    "Calls that entered the queue."
    offered: Int!
    answered: Int!
    "Callers who left before an agent answered."
    abandoned: Int!
    averageSpeedOfAnswerMs: Float!
    answeredWithinServiceLevel: Int!
    "answeredWithinServiceLevel / offered; null when nothing was offered."
    serviceLevel: Float
    serviceLevelSeconds: Int!
    "Longest wait: until the answer, or until an abandoning caller left."
    longestWaitMs: Float!
  }

  "Legs that started in one hour of the day (0-23 in timeZone)."
  type HourDensity {
    hour: Int!
    calls: Int!
    inbound: Int!
    outbound: Int!
    missed: Int!
    voicemail: Int!
  }

  type AdminCommandResult {
    ok: Boolean!
    "What ingest answered, as JSON text (e.g. the extension count)."
    result: String
  }

  """
  The health of the RingCentral subscription: ACTIVE (Active, not expired, every filter subscribed), EXPIRED (its
  expiry passed), FAILING (Blacklisted, Suspended or another status, or a problem such as a filter RingCentral
  disabled), NONE (no subscription is managed: no ingest instance with RingCentral credentials and RC_WEBHOOK_ADDRESS).
  """
  enum SubscriptionHealth {
    ACTIVE
    EXPIRED
    FAILING
    NONE
  }

  "A filter RingCentral did not subscribe (SubscriptionInfo.disabledFilters), e.g. for a missing app permission."
  type DisabledFilter {
    filter: String!
    reason: String!
    message: String!
  }

  "This deployment's RingCentral webhook subscription, as the managing ingest instance last recorded it in Redis."
  type RcSubscription {
    health: SubscriptionHealth!
    id: ID
    "RingCentral's status (Active, Suspended, Blacklisted, ...); null when there is none."
    status: String
    "ISO-8601 (UTC)."
    expiresAt: String
    "The webhook address RingCentral delivers to."
    address: String
    eventFilters: [String!]!
    disabledFilters: [DisabledFilter!]!
    "What is wrong, in words for admins; null when nothing."
    problem: String
    "When ingest last recorded it (created, reused, renewed, updated or checked), ISO-8601 (UTC)."
    updatedAt: String
  }

  type Query {
    "The account's extensions: search matches name, number or id; ordered by extension number."
    extensions(search: String, monitoredOnly: Boolean = false, first: Int, after: String): ExtensionConnection!
    liveSummary: LiveSummary!
    "Legs in progress of the given extensions (null: every monitored extension), oldest first."
    activeCalls(extensionIds: [ID!]): [ActiveCall!]!
    calls(filter: CallFilter, first: Int, after: String, orderBy: CallOrder): CallConnection!
    """
    Figures of the legs grouped by extension, hour, day, result, direction or queue. filter: any CallFilter (the other
    arguments are the same fields; one given both ways is an error); without a result in it, no Fax, Redirected or
    Supervision legs.
    """
    callStats(
      from: String
      to: String
      groupBy: StatsGroupBy! = EXTENSION
      "UTC when neither this nor filter.timeZone is given."
      timeZone: String
      extensionIds: [ID!]
      queueIds: [ID!]
      businessHours: BusinessHoursMode
      filter: CallFilter
    ): [StatsGroup!]!
    "Queues' calls (sessions) that started in the range, inside or outside business hours when asked."
    queueStats(from: String, to: String, timeZone: String, queueIds: [ID!], businessHours: BusinessHoursMode): [QueueStats!]!
    "Legs per hour of the day (0-23 in timeZone); filter as for callStats."
    hourlyDensity(
      from: String
      to: String
      timeZone: String
      extensionIds: [ID!]
      businessHours: BusinessHoursMode
      filter: CallFilter
    ): [HourDensity!]!
    "Admin only: the RingCentral subscription's status (what npm run rc -- status shows)."
    rcSubscription: RcSubscription!
  }

  "Admin only (an admin API key)."
  type Mutation {
    "Makes ids the monitored set; returns the monitored extensions."
    setMonitoredExtensions(ids: [ID!]!): [Extension!]!
    addMonitoredExtensions(ids: [ID!]!): [Extension!]!
    removeMonitoredExtensions(ids: [ID!]!): [Extension!]!
    "Asks the ingest instance with RingCentral credentials to reload the extension directory."
    syncExtensions: AdminCommandResult!
    "Asks the ingest instance with RingCentral credentials to delete and recreate the webhook subscription."
    recreateSubscription: AdminCommandResult!
  }

  type Subscription {
    "Each change of a leg of the given extensions (null: every monitored extension); a final message has ended = true."
    activeCallChanged(extensionIds: [ID!]): ActiveCall!
    "The current summary first, then each change."
    liveSummaryChanged: LiveSummary!
    "Each completed leg of the given extensions (null: all), after it was recorded."
    callCompleted(extensionIds: [ID!]): Call!
  }
`;

/** The whole schema: the core types, the live board's (board-type-defs.ts), the reports' (report-type-defs.ts) and the alerts' (alert-type-defs.ts). */
export const typeDefs = coreTypeDefs + boardTypeDefs + reportTypeDefs + timelineTypeDefs + alertTypeDefs;
