// The schema of the reports page and the account's business hours: KPIs against the previous period, calls per hour
// or day by result, the weekday x hour heatmap, duration figures, the agent leaderboard (each ONE ClickHouse query over
// the legs a CallFilter names, so every cell drills down to `calls`), and business hours (read by viewers, set by
// admins). Added to type-defs.ts.
export const reportTypeDefs = /* GraphQL */ `
  "Which legs (or queue sessions) by their start against the account's business hours."
  enum BusinessHoursMode {
    ANY
    INSIDE
    OUTSIDE
  }

  enum VolumeInterval {
    HOUR
    DAY
  }

  """
  A period's key figures over the report's legs (the filter's; without a result in it, no Fax, Redirected or
  Supervision legs). Each count is the totalCount of calls with the filter plus the restriction given here.
  """
  type KpiFigures {
    "The period: the range, or the one of equal length just before it."
    from: String!
    to: String!
    calls: Int!
    "direction: Inbound."
    inbound: Int!
    "direction: Outbound."
    outbound: Int!
    "Inbound legs but those a colleague answered while they rang: direction Inbound, every result but AnsweredElsewhere."
    offered: Int!
    "Inbound legs that were answered: direction Inbound, answered true."
    answered: Int!
    "result [Missed] (only inbound legs are Missed)."
    missed: Int!
    "The missed legs whose caller hung up while they rang: result [Missed], endedBy [customer]."
    abandoned: Int!
    "direction Inbound, result [Voicemail]."
    voicemail: Int!
    "Answered inbound legs that rang at most serviceLevelSeconds: direction Inbound, answered true, maxRingMs."
    answeredWithinServiceLevel: Int!
    "answeredWithinServiceLevel / offered; null when nothing was offered."
    serviceLevel: Float
    serviceLevelSeconds: Int!
    "Mean ring of the answered inbound legs, ms; null when none."
    averageSpeedOfAnswerMs: Float
    "Legs that were answered, either direction: answered true."
    handled: Int!
    "Mean talk + hold of the handled legs, ms; null when none."
    averageHandleTimeMs: Float
    "Sums over the legs, ms."
    talkMs: Float!
    holdMs: Float!
  }

  type ReportKpis {
    current: KpiFigures!
    "The period of equal length just before (cut at 1970)."
    previous: KpiFigures!
  }

  "The legs of one local hour or day, by result."
  type VolumeBucket {
    "The hour's start with its offset (2026-03-02T14:00:00.000+01:00) or the day (2026-03-02), in the filter's zone."
    key: String!
    "The part of the range the bucket covers (UTC): the from and to of its drill-down."
    from: String!
    to: String!
    calls: Int!
    byResult: [ResultCount!]!
  }

  "The legs that started on one local weekday and hour: drill down with weekdays [weekday] and hours [hour]."
  type HeatmapCell {
    "1 = Monday ... 7 = Sunday."
    weekday: Int!
    hour: Int!
    calls: Int!
    inbound: Int!
    outbound: Int!
    "answered true."
    answered: Int!
    missed: Int!
    voicemail: Int!
  }

  """
  One phase (ring, talk or hold) over the legs that had it (count: minRingMs 1 and so on). Percentiles are exact, not
  interpolated: the duration at rank floor(q * count), counting from 0, of the sorted durations (quantileExact).
  """
  type PhaseFigures {
    count: Int!
    totalMs: Float!
    "totalMs / count, rounded; 0 when count is 0."
    averageMs: Float!
    p50Ms: Float!
    p90Ms: Float!
    maxMs: Float!
  }

  type DurationFigures {
    calls: Int!
    ring: PhaseFigures!
    talk: PhaseFigures!
    hold: PhaseFigures!
  }

  enum AgentOrderField {
    CALLS
    INBOUND
    OUTBOUND
    ANSWERED
    MISSED
    VOICEMAIL
    TALK
    HOLD
    AVERAGE_HANDLE_TIME
  }

  input AgentOrder {
    field: AgentOrderField! = CALLS
    direction: SortDirection! = DESC
  }

  "One agent's figures over the report's legs: drill down with extensionIds [extensionId]."
  type AgentFigures {
    extensionId: ID!
    "From the directory; null when it does not know the extension."
    extensionNumber: String
    name: String
    calls: Int!
    inbound: Int!
    outbound: Int!
    "answered true (either direction)."
    answered: Int!
    missed: Int!
    voicemail: Int!
    talkMs: Float!
    holdMs: Float!
    "Talk + hold of the answered legs over answered; null when none."
    averageHandleTimeMs: Float
  }

  "Open from 'from' (included) to 'to' (excluded), local wall-clock HH:MM; to may be 24:00."
  type OpeningInterval {
    from: String!
    to: String!
  }

  input OpeningIntervalInput {
    from: String!
    to: String!
  }

  "The account's business hours: opening intervals per weekday and holidays, read in timeZone."
  type BusinessHours {
    timeZone: String!
    monday: [OpeningInterval!]!
    tuesday: [OpeningInterval!]!
    wednesday: [OpeningInterval!]!
    thursday: [OpeningInterval!]!
    friday: [OpeningInterval!]!
    saturday: [OpeningInterval!]!
    sunday: [OpeningInterval!]!
    "Local dates (YYYY-MM-DD) closed all day."
    holidays: [String!]!
    updatedAt: String!
  }

  "Each day's intervals (none or [] = closed), sorted or not, not overlapping; an interval past midnight is two."
  input BusinessHoursInput {
    "IANA name, e.g. Europe/Berlin."
    timeZone: String!
    monday: [OpeningIntervalInput!]
    tuesday: [OpeningIntervalInput!]
    wednesday: [OpeningIntervalInput!]
    thursday: [OpeningIntervalInput!]
    friday: [OpeningIntervalInput!]
    saturday: [OpeningIntervalInput!]
    sunday: [OpeningIntervalInput!]
    holidays: [String!]
  }

  extend type Query {
    "Key figures of the range and of the period of equal length before it (one query)."
    reportKpis(
      filter: CallFilter
      "Default API_SERVICE_LEVEL_SECONDS."
      serviceLevelSeconds: Int
    ): ReportKpis!
    "Legs per local hour or day of the range, by result; every bucket of the range, empty ones with zeros."
    callVolume(filter: CallFilter, interval: VolumeInterval! = HOUR): [VolumeBucket!]!
    "Legs by local weekday and hour: 168 cells, Monday 0:00 first."
    weekdayHourHeatmap(filter: CallFilter): [HeatmapCell!]!
    "Mean, median, 90th percentile and maximum of ring, talk and hold."
    durationStats(filter: CallFilter): DurationFigures!
    "Agents' figures, sorted (ties by extension id), the first ones (default 50, at most API_MAX_PAGE_SIZE)."
    agentLeaderboard(filter: CallFilter, orderBy: AgentOrder, first: Int): [AgentFigures!]!
    "null when none are set."
    businessHours: BusinessHours
  }

  extend type Mutation {
    "Sets the account's business hours (every bad value is named in the error)."
    setBusinessHours(hours: BusinessHoursInput!): BusinessHours!
    "Removes them; true when some were set. Reports asking for INSIDE or OUTSIDE then fail until they are set again."
    clearBusinessHours: Boolean!
  }
`;
